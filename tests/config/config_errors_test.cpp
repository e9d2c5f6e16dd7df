// Every bad input is a ConfigError naming file:line:column, the full key and the reason.
#include "config_fixture.h"

namespace tether::test {
namespace {

TEST_F(ConfigTest, UnknownKeySuggestsTheClosestKey) {
    EXPECT_EQ(load_error("[capture]\nfps = 30\nwidht = 640\n"),
              explicit_path() + ":3:1: unknown key 'capture.widht' (did you mean 'capture.width'?)");
}

TEST_F(ConfigTest, UnknownSectionSuggestsTheClosestSection) {
    EXPECT_EQ(load_error("[captur]\nfps = 30\n"),
              explicit_path() + ":1:2: unknown key 'captur' (did you mean 'capture'?)");
}

TEST_F(ConfigTest, KeyInTheWrongSectionSuggestsWhereItLives) {
    EXPECT_EQ(load_error("[video]\nfps = 30\n"),
              explicit_path() + ":2:1: unknown key 'video.fps' (did you mean 'capture.fps'?)");
}

TEST_F(ConfigTest, UnknownKeyFarFromAnyKnownOneHasNoSuggestion) {
    EXPECT_EQ(load_error("stun_servers = ['stun.example.org:3478']\n"),
              explicit_path() + ":1:1: unknown key 'stun_servers'");
}

TEST_F(ConfigTest, WrongTypeNamesKeyAndBothTypes) {
    EXPECT_EQ(load_error("[capture]\nwidth = 640\n\nfps = \"30\"\n"),
              explicit_path() + ":4:7: 'capture.fps' must be an integer, got a string");
    EXPECT_EQ(load_error("log_level = 3\n"), explicit_path() + ":1:13: 'log_level' must be a string, got an integer");
    EXPECT_EQ(load_error("[video]\nbitrate_kbps = 2.5\n"),
              explicit_path() + ":2:16: 'video.bitrate_kbps' must be an integer, got a floating-point number");
    EXPECT_EQ(load_error("[network]\ntransports = 'tcp'\n"),
              explicit_path() + ":2:14: 'network.transports' must be an array of strings, got a string");
}

TEST_F(ConfigTest, WrongTypeInsideAnArrayNamesTheElement) {
    EXPECT_EQ(load_error("[video]\nencoders = [\n  'vpx-vp9',\n  8,\n]\n"),
              explicit_path() + ":4:3: 'video.encoders[1]' must be a string, got an integer");
}

TEST_F(ConfigTest, SectionThatIsNotATable) {
    EXPECT_EQ(load_error("capture = 5\n"), explicit_path() + ":1:11: 'capture' must be a table, got an integer");
}

TEST_F(ConfigTest, OutOfRangeValuesNameTheRange) {
    EXPECT_EQ(load_error("[capture]\nfps = 500\n"),
              explicit_path() + ":2:7: 'capture.fps' must be from 1 to 240, got 500");
    EXPECT_EQ(load_error("capture.width = 8\n"),
              explicit_path() + ":1:17: 'capture.width' must be from 16 to 16384, got 8");
    EXPECT_EQ(load_error("video.speed = -2\n"), explicit_path() + ":1:15: 'video.speed' must be from -1 to 16, got -2");
    EXPECT_EQ(load_error("video.threads = 65\n"),
              explicit_path() + ":1:17: 'video.threads' must be from 0 to 64, got 65");
    EXPECT_EQ(load_error("video.bitrate_kbps = 1000001\n"),
              explicit_path() + ":1:22: 'video.bitrate_kbps' must be from 0 to 1000000, got 1000001");
}

TEST_F(ConfigTest, RangeLimitsThemselvesAreAccepted) {
    const Config config =
        load("capture.fps = 240\ncapture.width = 16\nvideo.speed = -1\nvideo.bitrate_kbps = 1000000\n");
    EXPECT_EQ(config.capture.fps.value, 240);
    EXPECT_EQ(config.capture.width.value, 16);
    EXPECT_EQ(config.video.bitrate_kbps.value, 1000000);
}

TEST_F(ConfigTest, TextValuesObeyTheirRule) {
    EXPECT_EQ(load_error("log_level = 'loud'\n"),
              explicit_path() + ":1:13: 'log_level' must be one of trace, debug, info, warn, error, got 'loud'");
    EXPECT_EQ(load_error("network.listen = '127.0.0.1:65536'\n"),
              explicit_path() +
                  ":1:18: 'network.listen' must be HOST:PORT with a port from 0 to 65535, got '127.0.0.1:65536'");
    EXPECT_EQ(load_error("network.listen = ':80'\n"),
              explicit_path() + ":1:18: 'network.listen' must be HOST:PORT with a port from 0 to 65535, got ':80'");
    EXPECT_EQ(load_error("capture.plugin = ''\n"),
              explicit_path() + ":1:18: 'capture.plugin' must not be empty, got ''");
    EXPECT_EQ(load_error("video.decoders = []\n"),
              explicit_path() + ":1:18: 'video.decoders' must name at least one plugin, got an empty array");
}

TEST_F(ConfigTest, ControlCharactersInValuesAreEscapedInMessages) {
    EXPECT_EQ(load_error("log_level = \"in\\u001bfo\"\n"),
              explicit_path() + ":1:13: 'log_level' must be one of trace, debug, info, warn, error, got 'in\\x1bfo'");
}

TEST_F(ConfigTest, HostileKeyIsEscapedAndCutShort) {
    EXPECT_EQ(load_error("\"k\\u0007" + std::string(300, 'x') + "\" = 1\n"),
              explicit_path() + ":1:1: unknown key 'k\\x07" + std::string(254, 'x') + "'...");
}

TEST_F(ConfigTest, SyntaxErrorNamesLineAndColumn) {
    const std::string error = load_error("log_level = 'info'\nvideo.encoders = ['vpx-vp9',\n");
    EXPECT_EQ(error.rfind(explicit_path() + ":2:", 0), 0u) << error;
    EXPECT_NE(error.find("invalid TOML: "), std::string::npos) << error;
}

TEST_F(ConfigTest, DuplicateKeyIsASyntaxError) {
    const std::string error = load_error("[capture]\nfps = 30\nfps = 60\n");
    EXPECT_EQ(error.rfind(explicit_path() + ":3:", 0), 0u) << error;
}

TEST_F(ConfigTest, FirstErrorInTheFileIsReported) {
    // Alphabetically 'capture' comes first, but the bad log_level is on line 1.
    EXPECT_EQ(load_error("log_level = 'x'\n[capture]\nfps = 0\n"),
              explicit_path() + ":1:13: 'log_level' must be one of trace, debug, info, warn, error, got 'x'");
}

TEST_F(ConfigTest, OversizedInputIsRefused) {
    EXPECT_EQ(load_error(std::string(2 << 20, '#')),
              explicit_path() + ": larger than 1048576 bytes; not a configuration file");
    EXPECT_EQ(load_error("capture.source = '" + std::string(5000, 'a') + "'\n"),
              explicit_path() + ":1:18: 'capture.source' must be at most 4096 bytes long, got 5000 bytes");
    std::string many = "plugin_path = [";
    for (int i = 0; i < 65; ++i) many += "'/p',";
    EXPECT_EQ(load_error(many + "]\n"), explicit_path() + ":1:15: 'plugin_path' must have at most 64 entries, got 65");
}

}  // namespace
}  // namespace tether::test
