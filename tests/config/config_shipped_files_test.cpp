// The files shipped in config/ and docs/ stay in step with the key table.
#include "config_fixture.h"

#include "core/config_schema.h"

#include <fstream>
#include <sstream>

namespace tether::test {
namespace {

const std::filesystem::path source_dir = TETHER_SOURCE_DIR;

// The value a key holds, as text, so values of every type compare alike.
std::string value_text(const ConfigKey& key, const Config& config) {
    return std::visit(
        [&](const auto& k) {
            std::ostringstream text;
            if constexpr (std::is_same_v<std::decay_t<decltype(k)>, ListKey>) {
                for (const auto& element : k.field.of_const(config)) text << '[' << element.value << ']';
            } else {
                text << k.field.of_const(config).value;
            }
            return text.str();
        },
        key.type);
}

class ConfigShippedFiles : public ConfigTest {
protected:
    Config load_shipped(const std::string& relative) const {
        ConfigFiles layers = files();
        layers.explicit_file = source_dir / relative;
        return load_config(layers);
    }
};

TEST_F(ConfigShippedFiles, DefaultTomlEqualsTheBuiltInDefaults) {
    const Config shipped = load_shipped("config/default.toml");
    const Config built_in = default_config();
    for (const ConfigKey& key : config_keys())
        EXPECT_EQ(value_text(key, shipped), value_text(key, built_in)) << key.name;
}

TEST_F(ConfigShippedFiles, DefaultTomlSetsEveryKey) {
    const toml::table document = toml::parse_file((source_dir / "config/default.toml").string());
    for (const ConfigKey& key : config_keys()) EXPECT_TRUE(document.at_path(key.name)) << key.name;
}

TEST_F(ConfigShippedFiles, ProfilesLoad) {
    for (const char* profile : {"config/lan.toml", "config/low-bandwidth.toml"}) {
        SCOPED_TRACE(profile);
        const Config config = load_shipped(profile);
        EXPECT_EQ(config.capture.fps.source.file, (source_dir / profile).string());
    }
    const Config strict = load_shipped("config/strict-firewall.toml");
    EXPECT_TRUE(strict.network.rendezvous.value.starts_with("ws://")) << strict.network.rendezvous.value;
    EXPECT_TRUE(strict.network.rendezvous.value.ends_with(":443")) << strict.network.rendezvous.value;
    const Config server = load_shipped("config/server.toml");
    EXPECT_EQ(server.server.rendezvous_listen.source.file, (source_dir / "config/server.toml").string());
}

TEST_F(ConfigShippedFiles, DocumentationDescribesEveryKey) {
    std::ifstream in(source_dir / "docs/configuration.md");
    ASSERT_TRUE(in);
    const std::string docs{std::istreambuf_iterator<char>(in), {}};
    for (const ConfigKey& key : config_keys())
        EXPECT_NE(docs.find("`" + key.name + "`"), std::string::npos) << key.name;
}

}  // namespace
}  // namespace tether::test
