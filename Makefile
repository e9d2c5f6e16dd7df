# The two commands for a fresh Debian 12 machine: `make demo` and `make test`.
# Each installs what is missing, builds into build/ and runs.
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
SERVER_BUILD ?= build-server
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
CTEST_FLAGS ?= --output-on-failure -j $(JOBS) --timeout 600
# Extra CMake options for a new build tree (CI passes -DTETHER_WERROR=ON).
CMAKE_OPTIONS ?=

.PHONY: all deps build demo test sanitize test-server fuzz fuzz-smoke clean

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

# $(call build_and_test,BUILD_TREE,CONFIGURE_OPTIONS): configures the tree
# once, then builds it and runs its tests.
define build_and_test
	@[ -f $(1)/CMakeCache.txt ] || cmake $(2) -B $(1) $(GENERATOR) $(CMAKE_OPTIONS)
	cmake --build $(1) -j $(JOBS)
	cd $(1) && ctest $(CTEST_FLAGS)
endef

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# without the viewer window: SDL loads and unloads input-method and driver
# libraries that keep memory for the process's life, which LeakSanitizer can
# no longer tell from leaks once they are unloaded. LeakSanitizer skips
# thread-local storage: a plugin opened and closed leaves a stale entry there
# that crashes its scan at exit (a known LeakSanitizer limitation with
# dlclose); what only thread-local storage holds is then suppressed, library
# by library, in tests/lsan.supp. The tether processes the tests start inherit
# the options.
# Line tables (-g1) are all the reports need; full debug info (-g) costs a
# fifth more compile time. -O1, as the sanitizers' own documentation advises,
# compiles the instrumented code a fifth faster than -O2.
sanitize: export LSAN_OPTIONS = use_tls=0:suppressions=$(CURDIR)/tests/lsan.supp
sanitize: deps
	$(call build_and_test,$(SANITIZE_BUILD),-S . -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTETHER_SANITIZE=ON -DTETHER_VIEWER_WINDOW=OFF \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")

# The server build (CMakePresets.json): no codec, capture or desktop service
# plugins, no PNG output, no window, so no libvpx, libyuv, libpng, SDL2 or
# xcb. Tests needing those skip, saying why.
test-server: deps
	$(call build_and_test,$(SERVER_BUILD),--preset server)

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
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(SERVER_BUILD) $(FUZZ_BUILD)
