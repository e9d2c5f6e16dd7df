// Layering: defaults < system file < user file < --config < command line.
#include "config_fixture.h"

#include <cstdlib>
#include <optional>

namespace tether::test {
namespace {

TEST_F(ConfigTest, BuiltInDefaultsWhenNoFileExists) {
    const Config config = load_config(files());
    EXPECT_EQ(config.capture.plugin.value, "synthetic");
    EXPECT_EQ(config.capture.width.value, 1920);
    EXPECT_EQ(config.capture.height.value, 1080);
    EXPECT_EQ(config.capture.fps.value, 30);
    EXPECT_EQ(config.log_level.value, "info");
    EXPECT_EQ(config.video.speed.value, -1);
    EXPECT_EQ(config.network.listen.value, "127.0.0.1:0");
    ASSERT_EQ(config.video.encoders.size(), 4u);
    EXPECT_EQ(config.video.encoders[0].value, "aom-av1");
    EXPECT_EQ(config.video.encoders[1].value, "vpx-vp9");
    EXPECT_EQ(config.video.encoders[2].value, "vpx-vp8");
    EXPECT_EQ(config.video.encoders[3].value, "x264-h264");
    EXPECT_TRUE(config.plugin_path.empty());
    EXPECT_EQ(config.capture.fps.source.str(), "built-in");
    EXPECT_EQ(config.video.encoders[0].source.str(), "built-in");
}

TEST_F(ConfigTest, EachLayerOverridesTheOneBelow) {
    const auto system = dir.write("system.toml",
                                  "log_level = 'warn'\n"
                                  "[capture]\n"
                                  "fps = 10\n"
                                  "width = 640\n"
                                  "height = 480\n"
                                  "[video]\n"
                                  "threads = 2\n");
    const auto user = dir.write("user.toml",
                                "[capture]\n"
                                "fps = 20\n"
                                "width = 800\n");
    ConfigFiles layers = files();
    layers.explicit_file = dir.write("explicit.toml", "capture.fps = 40\n");

    Config config = load_config(layers);
    set_from_command_line(config, "video.threads", "8");

    EXPECT_EQ(config.capture.fps.value, 40);
    EXPECT_EQ(config.capture.fps.source.str(), explicit_path() + ":1:15");
    EXPECT_EQ(config.capture.width.value, 800);
    EXPECT_EQ(config.capture.width.source.str(), user.string() + ":3:9");
    EXPECT_EQ(config.capture.height.value, 480);
    EXPECT_EQ(config.capture.height.source.str(), system.string() + ":5:10");
    EXPECT_EQ(config.log_level.value, "warn");
    EXPECT_EQ(config.video.threads.value, 8);
    EXPECT_EQ(config.video.threads.source.str(), "command line");
    EXPECT_EQ(config.video.speed.source.str(), "built-in");
}

TEST_F(ConfigTest, ListsAreReplacedWholeWithASourcePerElement) {
    dir.write("system.toml", "video.encoders = ['a', 'b', 'c']\n");
    const Config config = load("[video]\nencoders = [\n  'vpx-vp8',\n  'vpx-vp9',\n]\n");
    ASSERT_EQ(config.video.encoders.size(), 2u);
    EXPECT_EQ(config.video.encoders[0].value, "vpx-vp8");
    EXPECT_EQ(config.video.encoders[0].source.str(), explicit_path() + ":3:3");
    EXPECT_EQ(config.video.encoders[1].source.str(), explicit_path() + ":4:3");
}

TEST_F(ConfigTest, MissingExplicitFileIsAnError) {
    ConfigFiles layers = files();
    layers.explicit_file = dir.path() / "absent.toml";
    EXPECT_EQ(error_of([&] { load_config(layers); }),
              (dir.path() / "absent.toml").string() + ": cannot open: No such file or directory");
}

TEST_F(ConfigTest, LayerThatIsAFolderIsAnError) {
    std::filesystem::create_directory(dir.path() / "user.toml");
    EXPECT_EQ(error_of([&] { load_config(files()); }),
              (dir.path() / "user.toml").string() + ": is a folder, not a configuration file");
}

TEST_F(ConfigTest, ErrorsInTheSystemLayerNameThatFile) {
    const auto system = dir.write("system.toml", "\n[network]\nlisten = 'nowhere'\n");
    EXPECT_EQ(error_of([&] { load_config(files()); }),
              system.string() + ":3:10: 'network.listen' must be HOST:PORT with a port from 0 to 65535, got 'nowhere'");
}

TEST_F(ConfigTest, CommandLineValuesAreValidatedLikeFileValues) {
    Config config = default_config();
    set_from_command_line(config, "video.encoders", "vpx-vp8, vpx-vp9");
    ASSERT_EQ(config.video.encoders.size(), 2u);
    EXPECT_EQ(config.video.encoders[1].value, "vpx-vp9");
    EXPECT_EQ(config.video.encoders[1].source.str(), "command line");
    set_from_command_line(config, "network.listen", "[::1]:21118");
    EXPECT_EQ(config.network.listen.value, "[::1]:21118");

    EXPECT_EQ(error_of([&] { set_from_command_line(config, "capture.fps", "fast"); }),
              "command line: 'capture.fps' must be an integer, got 'fast'");
    EXPECT_EQ(error_of([&] { set_from_command_line(config, "capture.fps", "0"); }),
              "command line: 'capture.fps' must be from 1 to 240, got 0");
    EXPECT_EQ(error_of([&] { set_from_command_line(config, "capture.fsp", "30"); }),
              "command line: unknown key 'capture.fsp' (did you mean 'capture.fps'?)");
    EXPECT_EQ(error_of([&] { set_from_command_line(config, "network.transports", ""); }),
              "command line: 'network.transports' must name at least one plugin, got an empty array");
    EXPECT_EQ(error_of([&] { set_from_command_line(config, "video.decoders", "vpx-vp9,,vpx-vp8"); }),
              "command line: 'video.decoders[1]' must not be empty, got ''");
    EXPECT_EQ(config.capture.fps.value, 30);
}

// Sets or clears an environment variable for one test, restoring it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        value ? setenv(name, value, 1) : unsetenv(name);
    }
    ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

private:
    const char* name_;
    std::optional<std::string> old_;
};

// Plugin settings layer key by key and keep their text and position, as plugins receive them.
TEST_F(ConfigTest, PluginSettingsLayerKeyByKeyAsText) {
    const auto system = dir.write("system.toml",
                                  "[plugins.vpx-vp9]\n"
                                  "aq-mode = 3\n"
                                  "tune = 'screen'\n"
                                  "[plugins.\"abi-1.0\"]\n");
    const auto user = dir.write("user.toml",
                                "[plugins.vpx-vp9]\n"
                                "aq-mode = 1\n"
                                "ratio = 0.5\n"
                                "fast = true\n");
    ConfigFiles layers = files();
    layers.system = system;
    layers.user = user;
    const Config config = load_config(layers);
    ASSERT_EQ(config.plugins.size(), 2u);
    const auto& vp9 = config.plugins.at("vpx-vp9").values;
    EXPECT_EQ(vp9.at("aq-mode").value, "1");
    EXPECT_EQ(vp9.at("aq-mode").source.str(), user.string() + ":2:11");
    EXPECT_EQ(vp9.at("tune").value, "screen");
    EXPECT_EQ(vp9.at("ratio").value, "0.5");
    EXPECT_EQ(vp9.at("fast").value, "true");
    EXPECT_TRUE(config.plugins.at("abi-1.0").values.empty());
    EXPECT_EQ(config.plugins.at("abi-1.0").source.str(), system.string() + ":4:10");
}

TEST(ConfigUserPath, FollowsXdgConfigHomeThenHome) {
    ScopedEnv home("HOME", "/home/ada");
    {
        ScopedEnv xdg("XDG_CONFIG_HOME", "/srv/config");
        EXPECT_EQ(user_config_path(), "/srv/config/tether/tether.toml");
    }
    {
        ScopedEnv xdg("XDG_CONFIG_HOME", "relative/ignored");
        EXPECT_EQ(user_config_path(), "/home/ada/.config/tether/tether.toml");
    }
    ScopedEnv xdg("XDG_CONFIG_HOME", nullptr);
    EXPECT_EQ(user_config_path(), "/home/ada/.config/tether/tether.toml");
    ScopedEnv no_home("HOME", nullptr);
    EXPECT_EQ(user_config_path(), "");
}

}  // namespace
}  // namespace tether::test
