// A plugin library stays mapped while any object it made lives, even after
// the registry that loaded it is gone, and is unloaded after the last one.
#include "build_parts.h"
#include "core/plugin_objects.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tether {
namespace {

bool mapped(const std::string& file) {
    std::ifstream maps("/proc/self/maps");
    std::stringstream all;
    all << maps.rdbuf();
    return all.str().find(file) != std::string::npos;
}

TEST(PluginLifetime, LibraryOutlivesRegistryWhileObjectsLive) {
    TETHER_REQUIRE_BUILT("capture-synthetic");
    const std::string file = std::string(TETHER_BUILD_PLUGIN_DIR_FOR_TESTS) + "/capture-synthetic.so";
    std::unique_ptr<CaptureSource> capture;
    {
        PluginRegistry registry;
        ASSERT_TRUE(registry.load_file(file));
        const Factory* factory = registry.find(TETHER_KIND_CAPTURE, "synthetic");
        ASSERT_NE(factory, nullptr);
        tether_capture_config config{sizeof(config), 64, 48, 30, nullptr, 0};
        capture = std::make_unique<CaptureSource>(*factory, config);
    }
    EXPECT_TRUE(mapped(file));
    const auto frame = capture->grab();  // code inside the library still runs
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->width(), 64u);
    capture.reset();
    EXPECT_FALSE(mapped(file));
}

TEST(PluginLifetime, WrongKindIsRefused) {
    TETHER_REQUIRE_BUILT("codec-vpx");
    PluginRegistry registry;
    ASSERT_TRUE(registry.load_file(std::string(TETHER_BUILD_PLUGIN_DIR_FOR_TESTS) + "/codec-vpx.so"));
    const Factory* decoder = registry.find(TETHER_KIND_DECODER, "vpx-vp9");
    ASSERT_NE(decoder, nullptr);
    tether_encoder_config config{sizeof(config), 64, 48, 30, 0, 0, -1};
    EXPECT_THROW(Encoder(*decoder, config), PluginError);
}

}  // namespace
}  // namespace tether
