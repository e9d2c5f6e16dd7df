// capture-x11 on a real X server (Xvfb), with xsetroot, an independent tool,
// painting what the screen must show.
#include "capture_test_support.h"
#include "core/plugin_objects.h"
#include "xvfb.h"

#include <gtest/gtest.h>
#include <unistd.h>


namespace tether::test {
namespace {

std::unique_ptr<CaptureSource> capture_of(const std::string& display) {
    static std::string source;
    source = display;
    tether_capture_config config{sizeof(config), 0, 0, 30, source.c_str(), 0};
    return std::make_unique<CaptureSource>(capture_factory("x11"), config);
}

// B, G, R of the pixel at (x, y).
std::array<uint8_t, 3> pixel(const VideoFrame& frame, uint32_t x, uint32_t y) {
    const uint8_t* p = frame.raw.planes[0] + static_cast<size_t>(y) * frame.raw.strides[0] + x * 4;
    return {p[0], p[1], p[2]};
}

TEST(X11Capture, TheScreenShowsWhatXsetrootPaintedAndAnUnchangedScreenGivesNoPicture) {
    const Xvfb x(320, 240);
    x.paint("#336699");
    auto capture = capture_of(x.display());
    auto first = capture->grab();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->raw.format, static_cast<uint32_t>(TETHER_PIXEL_BGRA));
    EXPECT_EQ(first->width(), 320u);
    EXPECT_EQ(first->height(), 240u);
    for (const auto& [px, py] : {std::pair{0u, 0u}, {319u, 239u}, {160u, 120u}})
        EXPECT_EQ(pixel(*first, px, py), (std::array<uint8_t, 3>{0x99, 0x66, 0x33})) << px << "," << py;

    EXPECT_FALSE(capture->grab());  // nothing changed: no picture
    EXPECT_FALSE(capture->ended());

    x.paint("#cc0000");
    auto second = capture->grab();
    ASSERT_TRUE(second);
    EXPECT_EQ(pixel(*second, 10, 10), (std::array<uint8_t, 3>{0x00, 0x00, 0xcc}));
    EXPECT_GT(second->raw.frame_number, first->raw.frame_number);
}

TEST(X11Capture, ADisplayThatIsNotThereIsRefusedByName) {
    try {
        capture_of(":9999");
        FAIL() << "a capture of a display that does not exist";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot open X display :9999"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::test
