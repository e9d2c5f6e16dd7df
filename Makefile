# The two commands for a fresh Debian 12 machine: `make demo` and `make test`.
# Each installs what is missing, builds into build/ and runs.
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
CTEST_FLAGS ?= --output-on-failure -j $(JOBS) --timeout 600
# Extra CMake options for a new build tree (CI passes -DTETHER_WERROR=ON).
CMAKE_OPTIONS ?=

.PHONY: all deps build demo test sanitize fuzz fuzz-smoke clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@[ -f $(BUILD)/CMakeCache.txt ] || cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_OPTIONS)
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/bin/tether demo --png $(BUILD)/demo.png

test: build
	cd $(BUILD) && ctest $(CTEST_FLAGS)
	$(MAKE) fuzz-smoke

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize: deps
	@[ -f $(SANITIZE_BUILD)/CMakeCache.txt ] || cmake -S . -B $(SANITIZE_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTETHER_SANITIZE=ON $(CMAKE_OPTIONS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ctest $(CTEST_FLAGS)

# Every parser of untrusted bytes under libFuzzer, ASan and UBSan, FUZZ_SECONDS
# each (docs/fuzzing.md). Only the fuzz targets are built in this tree.
fuzz: deps
	@[ -f $(FUZZ_BUILD)/CMakeCache.txt ] || CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTETHER_FUZZ=ON -DTETHER_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target tether-fuzzers
	fuzz/run_fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# A few seconds per target: part of `make test`.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=5

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
