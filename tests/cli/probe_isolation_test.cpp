// A vendor's probe that crashes or hangs (a broken driver) must not take the
// host down: each probe runs in a child that execs `tether probe-plugin`, and
// its answer is kept until the plugin file changes, so the next start runs
// no child at all. The two misbehaving plugins (tests/plugins) note each run
// of their probe in $TETHER_TEST_PROBE_LOG.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kMisbehavers[] = {"broken-probe-crashes", "broken-probe-hangs"};

struct ProbeScene {
    TempDir dir;
    std::filesystem::path plugins = dir.path() / "plugins";
    std::filesystem::path probe_log = dir.path() / "probes.log";
    std::filesystem::path config;

    ProbeScene() {
        std::filesystem::create_directories(plugins);
        for (const char* name : kMisbehavers)
            std::filesystem::copy_file(std::filesystem::path(TETHER_PROBE_TEST_PLUGIN_DIR) / (std::string(name) + ".so"),
                                       plugins / (std::string(name) + ".so"));
        // Both misbehavers come first in the encoder list and rank above vpx.
        config = dir.write("probes.toml", "plugin_path = [\"" + plugins.string() +
                                              "\"]\nprobe_timeout = 1\n[video]\n"
                                              "encoders = [\"broken-probe-crashes\", \"broken-probe-hangs\", \"vp8\"]\n");
        setenv("TETHER_TEST_PROBE_LOG", probe_log.c_str(), 1);
    }
    ~ProbeScene() { unsetenv("TETHER_TEST_PROBE_LOG"); }

    size_t probes_run() const {
        std::ifstream in(probe_log);
        size_t lines = 0;
        for (std::string line; std::getline(in, line);) ++lines;
        return lines;
    }

    // factory name -> what `tether plugins` says of its probe ("not listed" when it is not)
    std::map<std::string, std::string> listed(const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> argv{tether_binary(), "plugins", "--json", "--config", config.string(), "--data-dir",
                                      (dir.path() / "host").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto r = run_command(argv, 60s, environment_of(dir));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::map<std::string, std::string> probes;
        const auto listing = nlohmann::json::parse(r.out);
        for (const auto& plugin : listing["plugins"])
            for (const auto& factory : plugin["factories"])
                probes[factory["name"].get<std::string>()] = factory["probe"].get<std::string>();
        for (const char* name : kMisbehavers) probes.try_emplace(name, "not listed: " + r.err);
        return probes;
    }
};

TEST(ProbeIsolation, ACrashingAndAHangingProbeLeaveTheHostRunningAndAreKept) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    ProbeScene scene;
    {
        RunningHost host(scene.dir, {"--config", scene.config.string()});
        EXPECT_EQ(host.ready["codec"], "vp8");  // the next encoder of the list
        const auto viewed = summary_of(host.connect("1"));
        EXPECT_GT(viewed.value("frames", 0), 0) << viewed.dump();
        EXPECT_TRUE(host.terminate());
    }
    EXPECT_EQ(scene.probes_run(), 2u);  // each misbehaving probe ran once, in a child

    auto probes = scene.listed();
    EXPECT_EQ(probes.at("broken-probe-crashes"), "crashed: Segmentation fault");
    EXPECT_EQ(probes.at("broken-probe-hangs"), "timed out after 1 s");
    EXPECT_EQ(probes["vpx-vp8"], "ok");

    {
        RunningHost again(scene.dir, {"--config", scene.config.string()});
        EXPECT_EQ(again.ready["codec"], "vp8");
    }
    EXPECT_EQ(scene.probes_run(), 2u);  // `tether plugins` and the second start read the kept answers

    EXPECT_EQ(scene.listed({"--reprobe"}).at("broken-probe-crashes"), "crashed: Segmentation fault");
    EXPECT_EQ(scene.probes_run(), 4u);
}

TEST(ProbeIsolation, AChangedPluginFileIsProbedAgain) {
    ProbeScene scene;
    scene.listed();
    ASSERT_EQ(scene.probes_run(), 2u);
    // A new build of the plugin: same path, another file.
    const auto crashes = scene.plugins / "broken-probe-crashes.so";
    std::filesystem::remove(crashes);
    std::filesystem::copy_file(std::filesystem::path(TETHER_PROBE_TEST_PLUGIN_DIR) / "broken-probe-crashes.so", crashes);
    scene.listed();
    EXPECT_EQ(scene.probes_run(), 3u);
}

TEST(ProbeIsolation, ProbePluginRunsOneProbeAndSaysWhy) {
    TempDir dir;
    const auto r = run_command({tether_binary(), "probe-plugin", TETHER_PROBE_TEST_PLUGIN_DIR "/broken-probe-crashes.so",
                                "no-such-factory"},
                               60s, environment_of(dir));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("offers no factory named no-such-factory"), std::string::npos) << r.err;
    TETHER_REQUIRE_BUILT("codec-vpx");
    const auto ok = run_command({tether_binary(), "probe-plugin", TETHER_BINARY_DIR "/lib/tether/plugins/codec-vpx.so",
                                 "vpx-vp9", "--kind", "decoder", "--json"},
                                60s, environment_of(dir));
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(nlohmann::json::parse(ok.out), (nlohmann::json{{"file", TETHER_BINARY_DIR "/lib/tether/plugins/codec-vpx.so"},
                                                             {"factory", "vpx-vp9"},
                                                             {"kind", "decoder"},
                                                             {"ok", true},
                                                             {"reason", ""}}));
}

}  // namespace
}  // namespace tether::test
