// `[plugins.<factory>]` settings reach the plugin they name, which checks
// each one; a bad one stops the start at its file and line.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// The test capturer's folder first, as a vendor's folder would be.
std::string with_test_plugins(const std::string& rest) {
    return "plugin_path = [\"" TETHER_TEST_PLUGIN_DIR "\"]\n" + rest;
}

CommandResult plugins_with(const TempDir& dir, const std::string& config_text) {
    const auto config = dir.write("settings.toml", with_test_plugins(config_text));
    return run_command({tether_binary(), "plugins", "--config", config.string(), "--data-dir", (dir.path() / "data").string()},
                       60s, environment_of(dir));
}

TEST(PluginSettings, EachBadSettingIsRefusedAtItsLineWithThePluginsReason) {
    TempDir dir;
    const struct {
        std::string text;
        std::string error;
    } cases[] = {
        {"[plugins.abi-current]\nresize-every = \"often\"\n",
         "settings.toml:3:16: 'plugins.abi-current.resize-every' must be a whole number of pictures, from 1 to 1000000, got 'often'"},
        {"[plugins.abi-current]\ncolour = 3\n",
         "settings.toml:3:10: 'plugins.abi-current.colour' is not a setting of this capturer (resize-every, unchanged-every)"},
        {"[plugins.abi-curent]\nresize-every = 5\n", "'plugins.abi-curent' names no loaded plugin factory (did you mean 'abi-current'?)"},
        {"[plugins.\"abi-1.0\"]\nresize-every = 5\n", "'plugins.abi-1.0': abi-1.0 takes no settings"},
        {"[plugins.abi-current]\nresize-every = [5]\n", "'plugins.abi-current.resize-every' must be a string, number or boolean"},
        {"[plugins]\nresize-every = 5\n", "'plugins.resize-every' must be a table of that factory's settings"},
        {"[plugins.abi-current]\n\"\" = 5\n", "'plugins.abi-current.': a setting's name must be printable and not empty"},
        {"[plugins.abi-current]\n\"a\\u001bb\" = 5\n", "a setting's name must be printable and not empty"},
    };
    for (const auto& c : cases) {
        const auto r = plugins_with(dir, c.text);
        EXPECT_EQ(r.exit_code, 2) << c.text;
        EXPECT_NE(r.err.find(c.error), std::string::npos) << c.text << "\n" << r.err;
    }
    const auto fine = plugins_with(dir, "[plugins.abi-current]\nresize-every = 5\nunchanged-every = 3\n");
    EXPECT_EQ(fine.exit_code, 0) << fine.err;
}

TEST(PluginSettings, ASettingChangesWhatThePluginDoes) {
    TETHER_REQUIRE_BUILT("codec-vpx", "transport-tcp");
    TempDir dir;
    const auto config = dir.write("settings.toml", with_test_plugins("[capture]\nplugin = \"abi-current\"\n"
                                                                     "[plugins.abi-current]\nresize-every = 10\n"));
    RunningHost host(dir, {"--config", config.string()});
    const auto viewed = summary_of(host.connect("2"));
    ASSERT_GT(viewed.value("frames", 0), 20) << viewed.dump();
    // 320x240 (the test hosts' desktop) and half of it, in turn.
    EXPECT_EQ(viewed["sizes"][0], "320x240") << viewed.dump();
    EXPECT_EQ(viewed["sizes"][1], "160x120") << viewed.dump();
}

}  // namespace
}  // namespace tether::test
