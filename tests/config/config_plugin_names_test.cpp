// Plugin names are checked once plugins have loaded, against their factories.
#include "build_parts.h"
#include "config_fixture.h"

#include "core/config_schema.h"
#include "core/plugin_registry.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace tether::test {
namespace {

using NamesOfKind = std::function<std::vector<std::string>(tether_kind)>;

NamesOfKind names_in(const PluginRegistry& registry) {
    return [&registry](tether_kind kind) {
        std::vector<std::string> names;
        for (const Factory* factory : registry.of_kind(kind)) names.push_back(factory->name);
        return names;
    };
}

// The plugins this build put in its plugin folder ($TETHER_PLUGIN_PATH, set by CTest).
class ConfigWithBuiltPlugins : public ConfigTest {
protected:
    void SetUp() override {
        const char* folder = std::getenv("TETHER_PLUGIN_PATH");
        ASSERT_NE(folder, nullptr) << "TETHER_PLUGIN_PATH is not set; run through ctest";
        registry.load_search_path({folder});
        ASSERT_TRUE(registry.failures().empty()) << registry.failures().front().reason;
    }
    PluginRegistry registry;
};

// validate_plugin_names() lets defaults through (a minimal build lacks some),
// so a build with every default plugin checks here that each one exists.
TEST_F(ConfigWithBuiltPlugins, BuiltInDefaultsNameFactoriesThatExist) {
    TETHER_REQUIRE_BUILT("capture-synthetic", "codec-vpx", "codec-aom", "codec-x264", "transport-tcp", "transport-udp",
                         "service-input", "service-clipboard");
    const Config config = default_config();
    size_t checked = 0;
    for (const ConfigKey& key : config_keys()) {
        const std::optional<PluginNames> named = plugin_names(key, config);
        if (!named) continue;
        const std::vector<std::string> available = names_in(registry)(named->kind);
        for (const Setting<std::string>* name : named->names) {
            EXPECT_NE(std::ranges::find(available, name->value), available.end()) << key.name << ": " << name->value;
            ++checked;
        }
    }
    EXPECT_EQ(checked, 13u);  // capture.plugin, four encoders, four decoders, two transports, two services
}

TEST_F(ConfigWithBuiltPlugins, UnknownEncoderIsReportedAtItsArrayElement) {
    TETHER_REQUIRE_BUILT("codec-vpx");
    const Config config = load("[video]\nencoders = [\n  'vpx-vp9',\n  'nvenc',\n]\n");
    const std::string error = error_of([&] { validate_plugin_names(config, names_in(registry)); });
    const std::string expected =
        explicit_path() + ":4:3: 'video.encoders' names unknown encoder plugin 'nvenc'; available: ";
    EXPECT_EQ(error.rfind(expected, 0), 0u) << error;
    EXPECT_NE(error.find("vpx-vp9"), std::string::npos) << error;
}

class ConfigWithKnownPlugins : public ConfigTest {
protected:
    NamesOfKind names_of_kind = [this](tether_kind kind) { return known[kind]; };
    std::map<tether_kind, std::vector<std::string>> known{
        {TETHER_KIND_CAPTURE, {"synthetic", "file"}},
        {TETHER_KIND_ENCODER, {"vpx-vp9", "vpx-vp8"}},
        {TETHER_KIND_DECODER, {"vpx-vp9", "vpx-vp8"}},
        {TETHER_KIND_TRANSPORT, {"tcp"}},
    };
};

TEST_F(ConfigWithKnownPlugins, KnownNamesPass) {
    EXPECT_NO_THROW(validate_plugin_names(load("capture.plugin = 'file'\n"), names_of_kind));
}

TEST_F(ConfigWithKnownPlugins, UnknownCapturePluginListsWhatIsAvailable) {
    const Config config = load("[capture]\nplugin = 'x11'\n");
    EXPECT_EQ(error_of([&] { validate_plugin_names(config, names_of_kind); }),
              explicit_path() +
                  ":2:10: 'capture.plugin' names unknown capture plugin 'x11'; available: synthetic, file");
}

TEST_F(ConfigWithKnownPlugins, MisspeltNameGetsASuggestion) {
    const Config config = load("video.decoders = ['vpx-vp9', 'vpx-pv8']\n");
    EXPECT_EQ(error_of([&] { validate_plugin_names(config, names_of_kind); }),
              explicit_path() +
                  ":1:30: 'video.decoders' names unknown decoder plugin 'vpx-pv8' (did you mean 'vpx-vp8'?); "
                  "available: vpx-vp9, vpx-vp8");
}

TEST_F(ConfigWithKnownPlugins, KindWithNothingLoadedSaysSo) {
    known[TETHER_KIND_TRANSPORT].clear();
    const Config config = load("[network]\ntransports = ['tcp']\n");
    EXPECT_EQ(error_of([&] { validate_plugin_names(config, names_of_kind); }),
              explicit_path() + ":2:15: 'network.transports' names unknown transport plugin 'tcp'; no transport plugin is loaded");
}

TEST_F(ConfigWithKnownPlugins, BuiltInDefaultsMayNameAbsentPlugins) {
    known[TETHER_KIND_TRANSPORT].clear();
    known[TETHER_KIND_ENCODER].clear();
    EXPECT_NO_THROW(validate_plugin_names(default_config(), names_of_kind));
}

TEST_F(ConfigWithKnownPlugins, CommandLineNamesAreChecked) {
    Config config = default_config();
    set_from_command_line(config, "network.transports", "tcp,quic");
    EXPECT_EQ(error_of([&] { validate_plugin_names(config, names_of_kind); }),
              "command line: 'network.transports' names unknown transport plugin 'quic'; available: tcp");
}

}  // namespace
}  // namespace tether::test
