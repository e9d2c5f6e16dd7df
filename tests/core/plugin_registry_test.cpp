// The loader refuses every kind of broken plugin with a reason, and the
// host carries on with the plugins that are fine.
#include "build_parts.h"
#include "core/plugin_registry.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>

namespace tether {
namespace {

std::filesystem::path broken(const std::string& name) {
    return std::filesystem::path(TETHER_TEST_PLUGIN_DIR) / (name + ".so");
}

// Loads one broken plugin and returns the recorded reason.
std::string refusal_of(const std::string& name) {
    PluginRegistry registry;
    EXPECT_FALSE(registry.load_file(broken(name)));
    EXPECT_EQ(registry.failures().size(), 1u);
    EXPECT_TRUE(registry.factories().empty());
    return registry.failures().empty() ? "" : registry.failures().front().reason;
}

TEST(PluginRegistry, RefusesAnotherAbiMajor) {
    const std::string reason = refusal_of("broken-future-abi");
    EXPECT_NE(reason.find("built for plugin ABI 99.0"), std::string::npos) << reason;
    const std::string ours = std::to_string(TETHER_ABI_MAJOR) + "." + std::to_string(TETHER_ABI_MINOR);
    EXPECT_NE(reason.find("this host speaks " + ours), std::string::npos) << reason;
}

TEST(PluginRegistry, RefusesLibraryWithoutEntrySymbol) {
    EXPECT_NE(refusal_of("broken-no-entry").find("no tether_plugin_entry symbol"), std::string::npos);
}

TEST(PluginRegistry, RefusesLibraryThatFailsToLoad) {
    const std::string reason = refusal_of("broken-unresolved");
    EXPECT_NE(reason.find("cannot load"), std::string::npos) << reason;
    EXPECT_NE(reason.find("tether_symbol_that_does_not_exist"), std::string::npos) << reason;
}

TEST(PluginRegistry, RefusesPluginWhoseInitFails) {
    EXPECT_NE(refusal_of("broken-init-fails").find("init failed: the device it needs is missing"), std::string::npos);
}

TEST(PluginRegistry, RefusesPluginThatRefusesNegotiation) {
    EXPECT_NE(refusal_of("broken-refuses-negotiation").find("negotiation"), std::string::npos);
}

TEST(PluginRegistry, RefusesFileThatIsNotALibrary) {
    const auto file = std::filesystem::temp_directory_path() / "tether-not-a-library.so";
    { std::ofstream(file) << "plain text"; }
    PluginRegistry registry;
    EXPECT_FALSE(registry.load_file(file));
    ASSERT_EQ(registry.failures().size(), 1u);
    EXPECT_NE(registry.failures().front().reason.find("cannot load"), std::string::npos);
    std::filesystem::remove(file);
}

TEST(PluginRegistry, BrokenPluginsDoNotStopTheOthers) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    PluginRegistry registry;
    registry.load_search_path({TETHER_TEST_PLUGIN_DIR, TETHER_BUILD_PLUGIN_DIR_FOR_TESTS});
    EXPECT_EQ(registry.failures().size(), 5u);
    EXPECT_NE(registry.find(TETHER_KIND_ENCODER, "vpx-vp9"), nullptr);
    EXPECT_NE(registry.find(TETHER_KIND_DECODER, "vpx-vp9"), nullptr);
    EXPECT_NE(registry.find(TETHER_KIND_CAPTURE, "synthetic"), nullptr);
    EXPECT_NE(registry.find(TETHER_KIND_TRANSPORT, "tcp"), nullptr);
}

TEST(PluginRegistry, FirstFolderWinsForTheSamePluginName) {
    TETHER_REQUIRE_BUILT("transport-tcp");
    PluginRegistry once;
    once.load_search_path({TETHER_BUILD_PLUGIN_DIR_FOR_TESTS});
    PluginRegistry twice;
    twice.load_search_path({TETHER_BUILD_PLUGIN_DIR_FOR_TESTS, TETHER_BUILD_PLUGIN_DIR_FOR_TESTS});
    EXPECT_TRUE(twice.failures().empty());
    EXPECT_GE(once.of_kind(TETHER_KIND_TRANSPORT).size(), 1u);
    EXPECT_EQ(twice.of_kind(TETHER_KIND_TRANSPORT).size(), once.of_kind(TETHER_KIND_TRANSPORT).size());
}

TEST(PluginRegistry, SearchPathStartsWithTheEnvironment) {
    ASSERT_EQ(setenv("TETHER_PLUGIN_PATH", TETHER_TEST_PLUGIN_DIR ":/no/such/folder", 1), 0);
    const auto folders = plugin_search_path({"/also/missing"});
    ASSERT_FALSE(folders.empty());
    EXPECT_EQ(folders.front(), std::filesystem::canonical(TETHER_TEST_PLUGIN_DIR));
    for (const auto& f : folders) EXPECT_TRUE(std::filesystem::is_directory(f)) << f;
}

}  // namespace
}  // namespace tether
