// A vendor's probe that crashes or hangs (a broken driver) must not take the
// host down: each probe runs in a child that execs `tether probe-plugin`, and
// its answer is kept until the plugin file changes, so the next start runs
// no child at all. The two misbehaving plugins (tests/plugins) note each run
// of their probe in $TETHER_TEST_PROBE_LOG.
#include "build_parts.h"
#include "process.h"
#include "child_process.h"
#include "running_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kMisbehavers[] = {"broken-probe-crashes", "broken-probe-hangs"};

struct ProbeScene {
    TempDir dir;
    std::filesystem::path plugins = dir.path() / "plugins";
    std::filesystem::path probe_log = dir.path() / "probes.log";
    std::filesystem::path config;
    std::string saved_asan_options;  // restored when the scene ends

    explicit ProbeScene(int probe_timeout = 1) {
        std::filesystem::create_directories(plugins);
        for (const char* name : kMisbehavers)
            std::filesystem::copy_file(std::filesystem::path(TETHER_PROBE_TEST_PLUGIN_DIR) / (std::string(name) + ".so"),
                                       plugins / (std::string(name) + ".so"));
        // Both misbehavers come first in the encoder list and rank above vpx.
        config = dir.write("probes.toml", "plugin_path = [\"" + plugins.string() + "\"]\nprobe_timeout = " +
                                              std::to_string(probe_timeout) + "\n[video]\n"
                                              "encoders = [\"broken-probe-crashes\", \"broken-probe-hangs\", \"vp8\"]\n");
        setenv("TETHER_TEST_PROBE_LOG", probe_log.c_str(), 1);
        // A sanitized build's own SEGV handler would turn the probe's crash into
        // an ordinary exit; the crash must stay a signal, as in a user's build.
        const char* asan = std::getenv("ASAN_OPTIONS");
        if (asan != nullptr) saved_asan_options = asan;
        setenv("ASAN_OPTIONS", (saved_asan_options + (saved_asan_options.empty() ? "" : ":") + "handle_segv=0").c_str(), 1);
    }
    ~ProbeScene() {
        unsetenv("TETHER_TEST_PROBE_LOG");
        if (saved_asan_options.empty())
            unsetenv("ASAN_OPTIONS");
        else
            setenv("ASAN_OPTIONS", saved_asan_options.c_str(), 1);
    }

    size_t probes_run() const {
        std::ifstream in(probe_log);
        size_t lines = 0;
        for (std::string line; std::getline(in, line);) ++lines;
        return lines;
    }

    // factory name -> what `tether plugins` says of its probe ("not listed" when it is not)
    std::map<std::string, std::string> listed(const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> argv{tether_binary(), "plugins", "--json", "--data-dir", (dir.path() / "host").string()};
        if (std::ranges::find(extra, "--config") == extra.end()) argv.insert(argv.end(), {"--config", config.string()});
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
    const auto ms_since = [](std::chrono::steady_clock::time_point start) {
        return static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    };
    const auto first_start = std::chrono::steady_clock::now();
    {
        RunningHost host(scene.dir, {"--config", scene.config.string()});
        ::testing::Test::RecordProperty("first_start_ms", ms_since(first_start));
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

    const auto second_start = std::chrono::steady_clock::now();
    {
        RunningHost again(scene.dir, {"--config", scene.config.string()});
        ::testing::Test::RecordProperty("second_start_ms", ms_since(second_start));
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

// A longer time limit gives a probe that timed out another chance.
TEST(ProbeIsolation, ALongerTimeLimitProbesAgain) {
    ProbeScene scene;
    scene.listed();
    ASSERT_EQ(scene.probes_run(), 2u);
    const auto longer = scene.dir.write("longer.toml", "plugin_path = [\"" + scene.plugins.string() + "\"]\nprobe_timeout = 2\n");
    EXPECT_EQ(scene.listed({"--config", longer.string()}).at("broken-probe-hangs"), "timed out after 2 s");
    EXPECT_EQ(scene.probes_run(), 4u);
}

// SIGTERM while a probe hangs: the host stops at once, and no probe is left running.
TEST(ProbeIsolation, TheHostStopsAtOnceWhileAProbeHangsAndLeavesNoProbeBehind) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "transport-tcp");  // chosen before the encoders are probed
    ProbeScene scene(60);
    ChildProcess host({tether_binary(), "host", "--json", "--config", scene.config.string(), "--data-dir",
                       (scene.dir.path() / "host").string(), "--listen", "127.0.0.1:0"},
                      environment_of(scene.dir));
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (scene.probes_run() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(scene.probes_run(), 2u) << host.stderr_text();  // the crash came and went; the hang is under way
    const auto asked = std::chrono::steady_clock::now();
    host.signal(SIGTERM);
    ASSERT_TRUE(host.wait_exit(20s)) << host.stderr_text();
    const auto took = std::chrono::steady_clock::now() - asked;
    ::testing::Test::RecordProperty("stop_ms", static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
    EXPECT_LT(took, 10s);  // not the 60 s the probe may take
    // No process runs a plugin of this test's folder any more.
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream cmdline(entry.path() / "cmdline");
        std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
        EXPECT_EQ(text.find(scene.plugins.string()), std::string::npos) << entry.path();
    }
    // The crash was kept; nothing of the probe cut short was: the next run asks again.
    std::ifstream kept(scene.dir.path() / "host" / "probe-cache.json");
    const std::string cache((std::istreambuf_iterator<char>(kept)), std::istreambuf_iterator<char>());
    EXPECT_NE(cache.find("broken-probe-crashes"), std::string::npos) << cache;
    EXPECT_EQ(cache.find("broken-probe-hangs"), std::string::npos) << cache;
}

// What is not a regular file is never opened: it could block for ever.
TEST(ProbeIsolation, AFifoWhereTheCacheOrAPluginShouldBeIsPassedOver) {
    ProbeScene scene;
    std::filesystem::create_directories(scene.dir.path() / "host");
    ASSERT_EQ(mkfifo((scene.dir.path() / "host" / "probe-cache.json").c_str(), 0600), 0);
    ASSERT_EQ(mkfifo((scene.plugins / "pipe.so").c_str(), 0600), 0);
    EXPECT_EQ(scene.listed().at("broken-probe-crashes"), "crashed: Segmentation fault");
}

TEST(ProbeIsolation, ProbePluginRunsOneProbeAndSaysWhy) {
    TempDir dir;
    const auto r = run_command({tether_binary(), "probe-plugin", TETHER_PROBE_TEST_PLUGIN_DIR "/broken-probe-crashes.so",
                                "no-such-factory"},
                               60s, environment_of(dir));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("offers no factory named no-such-factory"), std::string::npos) << r.err;
    // With --json, a file that is no plugin is still one JSON answer.
    const auto text = dir.write("not-a-plugin.so", "text");
    const auto not_plugin = run_command({tether_binary(), "probe-plugin", text.string(), "any", "--json"}, 60s,
                                        environment_of(dir));
    EXPECT_EQ(not_plugin.exit_code, 1) << not_plugin.err;
    const auto answer = nlohmann::json::parse(not_plugin.out, nullptr, false);
    EXPECT_EQ(answer.value("ok", true), false) << not_plugin.out;
    EXPECT_EQ(answer.value("reason", "").rfind("failed: the plugin did not load: cannot load", 0), 0u) << not_plugin.out;
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
    // An encoder's probe tells the sizes its device takes (ABI 1.6 limits): fewer than its table's.
    const std::string flaky = TETHER_BINARY_DIR "/lib/tether/test-plugins/encoder-flaky.so";
    const auto sized = run_command({tether_binary(), "probe-plugin", flaky, "flaky", "--json"}, 60s, environment_of(dir));
    EXPECT_EQ(sized.exit_code, 0) << sized.err;
    EXPECT_EQ(nlohmann::json::parse(sized.out, nullptr, false).value("sizes", nlohmann::json()),
              (nlohmann::json{{"min_width", 32}, {"min_height", 32}, {"max_width", 4096}, {"max_height", 4096}}))
        << sized.out;
}

}  // namespace
}  // namespace tether::test
