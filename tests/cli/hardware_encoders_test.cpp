// The hardware encoder plugins on a machine without their hardware (every
// CI machine): `tether plugins` lists each factory as unavailable with the
// probe's reason, the probe ran in a child (its answer is in the probe
// cache), and a host asked for NVENC first streams with the next encoder
// of its list, saying nothing alarming about the one it passed over.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

bool loadable(const char* library) {
    void* handle = dlopen(library, RTLD_LAZY | RTLD_LOCAL);
    if (handle != nullptr) dlclose(handle);
    return handle != nullptr;
}

// Skips unless this machine lacks the NVIDIA driver (the answers below are a driverless machine's).
#define REQUIRE_NO_NVIDIA_DRIVER()                                                              \
    do {                                                                                        \
        TETHER_REQUIRE_BUILT("codec-nvenc");                                                    \
        if (loadable("libnvidia-encode.so.1")) GTEST_SKIP() << "this machine has the NVIDIA driver"; \
    } while (false)

#define REQUIRE_NO_GPU_DEVICE_NODES()                                                   \
    do {                                                                                \
        TETHER_REQUIRE_BUILT("codec-vpl");                                              \
        if (std::filesystem::exists("/dev/dri")) GTEST_SKIP() << "this machine has /dev/dri"; \
    } while (false)

// What oneVPL's probe finds on a machine without a GPU: which runtime
// libraries load decides it (Debian's ffmpeg brings libmfx1's libmfxhw64.so.1).
std::string vpl_reason_without_gpu(const std::string& codec) {
    std::string found;
    for (const char* runtime : {"libmfx-gen.so.1.2", "libmfxhw64.so.1"})
        if (loadable(runtime)) found += (found.empty() ? "" : ", ") + std::string(runtime);
    if (found.empty())
        return "unavailable: no oneVPL runtime with a hardware " + codec +
               " encoder (libmfx-gen.so.1.2 / libmfxhw64.so.1 not found)";
    return "unavailable: the oneVPL runtime (" + found + ") found no GPU it can drive";
}

CommandResult list_plugins(const TempDir& dir, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{tether_binary(), "plugins", "--data-dir", (dir.path() / "data").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv, 120s, environment_of(dir));
}

// The line `tether plugins` prints for a factory.
std::string line_of(const std::string& listing, const std::string& factory) {
    std::istringstream in(listing);
    for (std::string line; std::getline(in, line);)
        if (line.find(" " + factory + "  ") != std::string::npos) return line;
    return "not listed";
}

TEST(HardwareEncoders, PluginsListsNvencAsUnavailableWithTheReason) {
    REQUIRE_NO_NVIDIA_DRIVER();
    TempDir dir;
    const CommandResult r = list_plugins(dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* factory : {"nvenc-h264", "nvenc-hevc", "nvenc-av1"}) {
        const std::string line = line_of(r.out, factory);
        EXPECT_EQ(line.rfind(std::string("  encoder ") + factory + "  ", 0), 0u) << line;
        EXPECT_TRUE(line.ends_with("probe: unavailable: libnvidia-encode.so.1 not found")) << line;
        EXPECT_NE(line.find("\"hardware\":true"), std::string::npos) << line;
    }
}

TEST(HardwareEncoders, PluginsListsOneVplAsUnavailableWithTheReason) {
    REQUIRE_NO_GPU_DEVICE_NODES();
    TempDir dir;
    const CommandResult r = list_plugins(dir, {"--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> probes;
    const auto listing = nlohmann::json::parse(r.out);
    for (const auto& plugin : listing["plugins"])
        for (const auto& factory : plugin["factories"])
            probes[factory["name"].get<std::string>()] = factory["probe"].get<std::string>();
    for (const std::string codec : {"h264", "hevc", "av1"})
        EXPECT_EQ(probes["vpl-" + codec], vpl_reason_without_gpu(codec));
}

// The answer comes from `tether probe-plugin` in a child and is kept: it is
// in the probe cache, keyed by what the probe depends on.
TEST(HardwareEncoders, TheProbeRunsInAChildAndItsAnswerIsKept) {
    REQUIRE_NO_NVIDIA_DRIVER();
    TempDir dir;
    ASSERT_EQ(list_plugins(dir).exit_code, 0);
    std::ifstream kept(dir.path() / "data" / "probe-cache.json");
    const auto cache = nlohmann::json::parse(kept, nullptr, false);
    ASSERT_TRUE(cache.is_object());
    const std::string key = "encoder/nvenc-h264@" TETHER_BINARY_DIR "/lib/tether/plugins/codec-nvenc.so";
    ASSERT_TRUE(cache["probes"].contains(key)) << cache.dump(1);
    const auto& entry = cache["probes"][key];
    EXPECT_EQ(entry["ok"], false);
    EXPECT_EQ(entry["reason"], "unavailable: libnvidia-encode.so.1 not found");
    // The driver's version file and device nodes are part of the key: a driver installed later is probed again.
    const std::string fingerprint = entry["fingerprint"].dump();
    for (const char* input : {"/proc/driver/nvidia/version", "/dev/nvidia0", "/dev/nvidiactl"})
        EXPECT_NE(fingerprint.find(input), std::string::npos) << fingerprint;

    const CommandResult child = run_command({tether_binary(), "probe-plugin",
                                             TETHER_BINARY_DIR "/lib/tether/plugins/codec-nvenc.so", "nvenc-hevc",
                                             "--json"},
                                            60s, environment_of(dir));
    const auto answer = nlohmann::json::parse(child.out, nullptr, false);
    EXPECT_EQ(answer.value("ok", true), false) << child.out << child.err;
    EXPECT_EQ(answer.value("reason", ""), "unavailable: libnvidia-encode.so.1 not found");
}

TEST(HardwareEncoders, TheDemoFallsBackToVp9QuietlyWhenNvencIsFirst) {
    REQUIRE_NO_NVIDIA_DRIVER();
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    const auto config = dir.write("nvenc-first.toml", "[video]\nencoders = [\"nvenc-h264\", \"vpx-vp9\"]\n");
    const CommandResult r = run_command({tether_binary(), "demo", "--seconds", "2", "--size", "320x240", "--json",
                                         "--config", config.string(), "--data-dir", (dir.path() / "data").string()},
                                        120s, environment_of(dir));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto summary = nlohmann::json::parse(r.out);
    EXPECT_EQ(summary["codec"], "vp9");
    EXPECT_GT(summary["frames"].get<int>(), 0);
    std::istringstream err(r.err);
    for (std::string line; std::getline(err, line);) {
        if (line.find("nvenc") == std::string::npos) continue;
        EXPECT_EQ(line.find("warn"), std::string::npos) << line;
        EXPECT_EQ(line.find("error"), std::string::npos) << line;
    }
}

}  // namespace
}  // namespace tether::test
