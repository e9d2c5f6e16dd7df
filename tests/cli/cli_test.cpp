// The tether binary as a user meets it: exit codes, messages, JSON.
#include "build_parts.h"
#include "process.h"
#include "temp_dir.h"
#include "xvfb.h"

#include <tether/plugin.h>

#include <gtest/gtest.h>
#include <set>
#include <nlohmann/json.hpp>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// Keeps the machine's own configuration files out of every run.
std::map<std::string, std::string> isolated_env(const TempDir& home) {
    return {{"XDG_CONFIG_HOME", (home.path() / "config").string()}, {"HOME", home.path().string()}};
}

CommandResult tether(const std::vector<std::string>& args, const TempDir& home,
                     std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv{tether_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    env.merge(isolated_env(home));
    return run_command(argv, 120s, env);
}

TEST(Cli, PrintsVersion) {
    TempDir home;
    const auto r = tether({"--version"}, home);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "tether " TETHER_VERSION "\n");
}

TEST(Cli, HelpOnEveryCommand) {
    TempDir home;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"}, {"demo", "--help"}, {"plugins", "--help"}, {"bench", "--help"}, {"bench", "pipeline", "--help"}}) {
        const auto r = tether(args, home);
        EXPECT_EQ(r.exit_code, 0) << args.front();
        EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
    }
}

TEST(Cli, BadUsageExitsWithTwo) {
    TempDir home;
    EXPECT_EQ(tether({}, home).exit_code, 2);  // a subcommand is required
    EXPECT_EQ(tether({"no-such-command"}, home).exit_code, 2);
    const auto bad_size = tether({"demo", "--size", "huge"}, home);
    EXPECT_EQ(bad_size.exit_code, 2);
    EXPECT_NE(bad_size.err.find("--size must look like 1920x1080"), std::string::npos) << bad_size.err;
    EXPECT_EQ(tether({"demo", "--codec", "mpeg2"}, home).exit_code, 2);
}

TEST(Cli, BenchConnectOnNetsimNamesWhatIsWrong) {
    TempDir home;
    EXPECT_NE(tether({"bench", "connect", "--help"}, home).out.find("--netsim"), std::string::npos);
    const auto script = (home.path() / "netsim.sh").string();
    const auto missing = tether({"bench", "connect", "--netsim", script}, home);
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("--netsim " + script + ": no such file"), std::string::npos) << missing.err;
    const auto bad_pair = tether({"bench", "connect", "--netsim", script, "--pairs", "cone:full-cone"}, home);
    EXPECT_EQ(bad_pair.exit_code, 2);
    EXPECT_NE(bad_pair.err.find("no NAT kind \"full-cone\""), std::string::npos) << bad_pair.err;
}

TEST(Cli, ConfigErrorsNameFileAndLineAndExitWithTwo) {
    TempDir home;
    const auto unknown_key = home.write("unknown.toml", "[capture]\nfps = 30\nwidht = 1280\n");
    auto r = tether({"demo", "--config", unknown_key.string()}, home);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(unknown_key.string() + ":3:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("capture.widht"), std::string::npos) << r.err;

    const auto wrong_type = home.write("type.toml", "[capture]\n\nfps = \"fast\"\n");
    r = tether({"--config", wrong_type.string(), "demo"}, home);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(wrong_type.string() + ":3:"), std::string::npos) << r.err;
}

TEST(Cli, UnknownPluginInTheConfigIsNamedAtItsLine) {
    TETHER_REQUIRE_BUILT("codec-vpx");  // the line before names vpx-vp9, which must exist
    TempDir home;
    const auto unknown_plugin = home.write("plugin.toml", "[video]\nencoders = [\n  \"vpx-vp9\",\n  \"nvenc\",\n]\n");
    const auto r = tether({"plugins", "--config", unknown_plugin.string()}, home);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(unknown_plugin.string() + ":4:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nvenc"), std::string::npos) << r.err;
}

// On a machine with what every plugin needs: an X display for capture-x11.
// Hardware encoders probe ok only where their device is (hardware_encoders_test.cpp).
bool hardware_only(const nlohmann::json& plugin) {
    for (const auto& f : plugin["factories"])
        if (!f["capabilities"].value("hardware", false)) return false;
    return true;
}

TEST(Cli, PluginsJsonListsEveryPluginWithTheSoftwareOnesProbingOk) {
    TempDir home;
    const Xvfb display(64, 64);
    const auto r = tether({"plugins", "--json"}, home, {{"DISPLAY", display.display()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto all = nlohmann::json::parse(r.out);
    std::set<std::string> names;
    for (const auto& p : all["plugins"]) {
        names.insert(p["name"].get<std::string>());
        if (!hardware_only(p)) {
            EXPECT_EQ(p["probe"], "ok") << p.dump();
        }
        EXPECT_EQ(p["abi_version"], std::to_string(TETHER_ABI_MAJOR) + "." + std::to_string(TETHER_ABI_MINOR));
        EXPECT_TRUE(std::filesystem::exists(p["file"].get<std::string>()));
        EXPECT_FALSE(p["factories"].empty());
    }
    for (const std::string_view built : plugins_built()) EXPECT_TRUE(names.contains(std::string(built))) << built;
    EXPECT_TRUE(all["refused"].empty());
}

TEST(Cli, PluginsListsRefusedPluginsAndKeepsTheRest) {
    TempDir home;
    const auto r = tether({"plugins", "--json"}, home,
                          {{"TETHER_PLUGIN_PATH", std::string(TETHER_TEST_PLUGIN_DIR) + ":" + TETHER_BINARY_DIR "/lib/tether/plugins"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto all = nlohmann::json::parse(r.out);
    EXPECT_EQ(all["refused"].size(), 5u);
    EXPECT_GE(all["plugins"].size(), plugins_built().size());
    EXPECT_NE(r.err.find("broken-future-abi.so refused: built for plugin ABI 99.0"), std::string::npos) << r.err;
}

// Bad usage, refused before any plugin loads or any connection opens.
TEST(Cli, PngIsRefusedByABuildWithoutPngOutput) {
    if (built("png-output")) GTEST_SKIP() << "this build has PNG output";
    TempDir home;
    const auto png = (home.path() / "last.png").string();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"demo", "--seconds", "1", "--png", png}, {"connect", "127.0.0.1:9", "--headless", "--password", "unused", "--png", png}}) {
        const auto r = tether(args, home);
        EXPECT_EQ(r.exit_code, 2) << args.front() << ": " << r.err;
        EXPECT_NE(r.err.find("--png: this build has no PNG output (built with -DTETHER_PNG_OUTPUT=OFF)"), std::string::npos)
            << r.err;
        EXPECT_FALSE(std::filesystem::exists(png));
    }
}

// A copy of the binary under another prefix, as a package installs it: it
// finds the plugins beside it, and none of the build tree's.
TEST(Cli, AnInstalledBinaryFindsThePluginsOfItsOwnPrefixOnly) {
    TETHER_REQUIRE_BUILT("transport-tcp");
    TempDir home;
    const auto prefix = home.path() / "prefix";
    std::filesystem::create_directories(prefix / "bin");
    std::filesystem::create_directories(prefix / "lib/tether/plugins");
    std::filesystem::copy_file(tether_binary(), prefix / "bin/tether");
    const std::map<std::string, std::string> no_plugin_path{{"TETHER_PLUGIN_PATH", ""}};
    auto listed = [&] {
        std::vector<std::string> argv{(prefix / "bin/tether").string(), "plugins", "--json"};
        std::map<std::string, std::string> env = no_plugin_path;
        env.merge(isolated_env(home));
        const auto r = run_command(argv, 120s, env);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto listing = nlohmann::json::parse(r.out);
        std::set<std::string> names;
        for (const auto& p : listing["plugins"]) names.insert(p["name"].get<std::string>());
        return names;
    };
    EXPECT_TRUE(listed().empty());
    std::filesystem::copy_file(std::filesystem::path(TETHER_BINARY_DIR) / "lib/tether/plugins/transport-tcp.so",
                               prefix / "lib/tether/plugins/transport-tcp.so");
    EXPECT_EQ(listed(), std::set<std::string>{"transport-tcp"});
}

}  // namespace
}  // namespace tether::test
