// capture-x11 on real X servers (Xvfb; Xvnc for RandR resizing and
// monitors), judged by independent tools: xsetroot and xlogo draw, xdotool
// moves the pointer and windows, xwd (through ImageMagick) reads the screen.
#include "capture_test_support.h"
#include "core/plugin_objects.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <sstream>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

tether_capture_config config_for(const std::string& display, uint32_t monitor) {
    static std::string source;
    source = display;
    tether_capture_config config{};
    config.struct_size = sizeof(config);
    config.fps = 30;
    config.source = source.c_str();
    config.monitor = monitor;
    return config;
}

std::unique_ptr<CaptureSource> capture_of(const std::string& display, uint32_t monitor = 0) {
    return std::make_unique<CaptureSource>(capture_factory("x11"), config_for(display, monitor));
}

// B, G, R of the pixel at (x, y).
std::array<uint8_t, 3> pixel(const VideoFrame& frame, uint32_t x, uint32_t y) {
    const uint8_t* p = frame.raw.planes[0] + static_cast<size_t>(y) * frame.raw.strides[0] + x * 4;
    return {p[0], p[1], p[2]};
}

// The screen as xwd reads it: R, G, B a pixel.
struct Screenshot {
    uint32_t width = 0, height = 0;
    std::string rgb;
    bool operator==(const Screenshot&) const = default;
    std::array<uint8_t, 3> bgr(uint32_t x, uint32_t y) const {
        const char* p = rgb.data() + (size_t{y} * width + x) * 3;
        return {static_cast<uint8_t>(p[2]), static_cast<uint8_t>(p[1]), static_cast<uint8_t>(p[0])};
    }
};

Screenshot screenshot(const XServer& x) {
    // A binary PPM without comments (-strip): "P6\n<width> <height>\n255\n", then the pixels.
    const std::string ppm = x.run({"sh", "-c", "xwd -root -silent | convert xwd:- -strip -depth 8 ppm:-"}).out;
    std::istringstream header(ppm);
    std::string magic;
    Screenshot shot;
    int maxval = 0;
    header >> magic >> shot.width >> shot.height >> maxval;
    const auto start = static_cast<size_t>(header.tellg()) + 1;
    if (magic != "P6" || maxval != 255 || ppm.size() != start + size_t{shot.width} * shot.height * 3)
        throw std::runtime_error("xwd and convert gave no " + std::to_string(shot.width) + "x" +
                                 std::to_string(shot.height) + " picture");
    shot.rgb = ppm.substr(start);
    return shot;
}

// How many pixels of the picture differ from the screenshot (all when the sizes do).
size_t mismatches(const VideoFrame& picture, const Screenshot& shot) {
    if (picture.width() != shot.width || picture.height() != shot.height) return size_t{shot.width} * shot.height;
    size_t wrong = 0;
    for (uint32_t y = 0; y < shot.height; ++y)
        for (uint32_t x = 0; x < shot.width; ++x) wrong += pixel(picture, x, y) != shot.bgr(x, y);
    return wrong;
}

struct Followed {
    std::optional<VideoFrame> picture;  // the last one
    std::vector<tether_rect> damage;    // of every picture given on the way
    size_t pictures = 0;
};

// Waits for changes and grabs them, as a host does, until the last picture
// equals the screen as xwd shows it; the screen must have become `settled`
// (a drawing tool is done). Fails at the deadline.
Followed follow(CaptureSource& capture, const XServer& x, const std::function<bool(const Screenshot&)>& settled) {
    Followed followed;
    const auto deadline = Clock::now() + 20s;
    size_t wrong = 0;
    while (Clock::now() < deadline) {
        if (capture.wait(200ms)) {
            if (auto picture = capture.grab()) {
                const tether_video_frame& raw = picture->raw;
                followed.damage.insert(followed.damage.end(), raw.damage, raw.damage + raw.damage_count);
                followed.picture = std::move(picture);
                ++followed.pictures;
            }
            continue;  // until nothing more is pending
        }
        const Screenshot shot = screenshot(x);
        if (!settled(shot) || !followed.picture) continue;
        wrong = mismatches(*followed.picture, shot);
        if (wrong == 0) return followed;
    }
    ADD_FAILURE() << "the picture never matched the screen: " << wrong << " pixels differ at the end";
    return followed;
}

bool covered(const std::vector<tether_rect>& damage, uint32_t x, uint32_t y) {
    for (const tether_rect& r : damage)
        if (int64_t{x} >= r.x && int64_t{x} < r.x + int64_t{r.width} && int64_t{y} >= r.y &&
            int64_t{y} < r.y + int64_t{r.height})
            return true;
    return false;
}

// Every pixel that differs between the two is inside the damage.
void expect_damage_covers(const std::vector<tether_rect>& damage, const VideoFrame& before, const VideoFrame& after) {
    size_t uncovered = 0;
    for (uint32_t y = 0; y < after.height(); ++y)
        for (uint32_t x = 0; x < after.width(); ++x)
            uncovered += pixel(before, x, y) != pixel(after, x, y) && !covered(damage, x, y);
    EXPECT_EQ(uncovered, 0u) << "changed pixels outside the damage";
}

uint64_t damaged_area(const std::vector<tether_rect>& damage) {
    uint64_t area = 0;
    for (const tether_rect& r : damage) area += uint64_t{r.width} * r.height;
    return area;
}

// Calls cursor() until a report satisfies `wanted`, or the deadline.
std::optional<CaptureSource::Cursor> cursor_when(CaptureSource& capture,
                                                 const std::function<bool(const CaptureSource::Cursor&)>& wanted) {
    const auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline) {
        auto c = capture.cursor();
        if (c && wanted(*c)) return c;
        std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
}

std::optional<CaptureSource::Cursor> cursor_at(CaptureSource& capture, int32_t x, int32_t y) {
    return cursor_when(capture, [&](const CaptureSource::Cursor& c) { return c.x == x && c.y == y; });
}

bool has_shape(const CaptureSource::Cursor& c) { return c.image.has_value(); }

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

    // The wait, already under way, ends when the screen changes.
    ASSERT_TRUE(capture->can_wait());
    auto changed = std::async(std::launch::async, [&] { return capture->wait(10s); });
    x.paint("#cc0000");
    ASSERT_TRUE(changed.get());
    auto second = capture->grab();
    ASSERT_TRUE(second);
    EXPECT_EQ(pixel(*second, 10, 10), (std::array<uint8_t, 3>{0x00, 0x00, 0xcc}));
    EXPECT_GT(second->raw.frame_number, first->raw.frame_number);
    ASSERT_EQ(second->raw.damage_count, 1u);  // the whole root, repainted
    EXPECT_EQ(damaged_area({second->raw.damage, second->raw.damage + 1}), 320u * 240u);
}

TEST(X11Capture, AnIdleScreenCostsNothingAndThePointerMovesOnlyTheCursor) {
    const Xvfb x(320, 240);
    x.paint("#336699");
    auto capture = capture_of(x.display());
    ASSERT_TRUE(capture->grab());
    EXPECT_FALSE(capture->grab());
    EXPECT_FALSE(capture->wait(100ms));
    ASSERT_TRUE(capture->reports_cursor());
    for (const auto& [px, py] : {std::pair{50, 60}, {200, 100}, {5, 230}}) {
        x.run({"xdotool", "mousemove", std::to_string(px), std::to_string(py)});
        const auto c = cursor_at(*capture, px, py);
        ASSERT_TRUE(c) << "the cursor never came to " << px << "," << py;
        EXPECT_TRUE(c->visible);
        const std::string where = x.run({"xdotool", "getmouselocation"}).out;
        EXPECT_EQ(where.rfind("x:" + std::to_string(px) + " y:" + std::to_string(py) + " ", 0), 0u) << where;
        // cursor()'s round trip has brought any damage the motion made: there is none.
        EXPECT_FALSE(capture->grab()) << "pointer motion made a picture";
        EXPECT_FALSE(capture->wait(100ms)) << "pointer motion made damage";
    }
    EXPECT_FALSE(capture->cursor()) << "the pointer did not move since the last report";
}

TEST(X11Capture, AWindowIsReadFromItsDamageAndThePicturesEqualXwdsAfterEachChange) {
    const Xvfb x(320, 240);
    x.paint("#336699");
    auto capture = capture_of(x.display());
    const VideoFrame plain = *capture->grab();
    const Screenshot plain_shot = screenshot(x);

    ChildProcess logo({"xlogo", "-geometry", "40x30+100+100"}, {{"DISPLAY", x.display()}});
    const Followed shown = follow(*capture, x, [&](const Screenshot& s) { return s != plain_shot; });
    ASSERT_TRUE(shown.picture);
    expect_damage_covers(shown.damage, plain, *shown.picture);
    EXPECT_LT(damaged_area(shown.damage), 320u * 240u / 4) << "a small window damaged much of the screen";

    // Moved: the old place shows the root again, the new one the window.
    const Screenshot before_move = screenshot(x);
    x.run({"xdotool", "search", "--sync", "--class", "xlogo", "windowmove", "%@", "200", "150"});
    const Followed moved = follow(*capture, x, [&](const Screenshot& s) { return s != before_move; });
    ASSERT_TRUE(moved.picture);
    EXPECT_EQ(pixel(*moved.picture, 101, 101), (std::array<uint8_t, 3>{0x99, 0x66, 0x33}));
    expect_damage_covers(moved.damage, *shown.picture, *moved.picture);
    EXPECT_LT(damaged_area(moved.damage), 320u * 240u / 2);
}

TEST(X11Capture, TheCursorImageComesFromXfixesWithItsHotSpotAndChangesWithItsShape) {
    const Xvfb x(320, 240);
    auto capture = capture_of(x.display());
    x.run({"xdotool", "mousemove", "300", "200"});
    const auto first = cursor_when(*capture, has_shape);
    ASSERT_TRUE(first) << "no shape came";
    EXPECT_TRUE(first->visible);
    ASSERT_GT(first->width, 0u);
    ASSERT_GT(first->height, 0u);
    EXPECT_EQ(first->image->size(), size_t{first->width} * first->height * 4);
    EXPECT_TRUE(first->hot_x >= 0 && first->hot_x < static_cast<int32_t>(first->width)) << first->hot_x;
    EXPECT_TRUE(first->hot_y >= 0 && first->hot_y < static_cast<int32_t>(first->height)) << first->hot_y;
    size_t opaque = 0, clear = 0, clear_with_colour = 0;
    for (size_t i = 0; i < first->image->size(); i += 4) {
        const uint8_t* p = first->image->data() + i;
        opaque += p[3] == 255;
        clear += p[3] == 0;
        clear_with_colour += p[3] == 0 && (p[0] | p[1] | p[2]) != 0;
    }
    EXPECT_GT(opaque, 0u);
    EXPECT_GT(clear, 0u);  // the X of the root cursor leaves its corners out
    EXPECT_EQ(clear_with_colour, 0u);
    EXPECT_FALSE(capture->cursor());

    // Over an xterm the pointer takes the xterm's shape.
    ChildProcess term({"xterm", "-geometry", "20x5+0+0"}, {{"DISPLAY", x.display()}});
    x.run({"xdotool", "search", "--sync", "--class", "xterm"});
    x.run({"xdotool", "mousemove", "10", "10"});
    const auto changed = cursor_when(*capture, has_shape);

    ASSERT_TRUE(changed) << "the new shape was not reported";
    EXPECT_NE(changed->shape_serial, first->shape_serial);
    EXPECT_NE(std::string_view(reinterpret_cast<const char*>(changed->image->data()), changed->image->size()),
              std::string_view(reinterpret_cast<const char*>(first->image->data()), first->image->size()));
}

#define SKIP_WITHOUT_XVNC()                                                                                     \
    if (!Xvnc::installed())                                                                                     \
    GTEST_SKIP() << "Xvnc (tigervnc-standalone-server) is not installed: RandR resizing and monitors go untested"

void expect_area(const tether_rect& area, int32_t x, int32_t y, uint32_t width, uint32_t height) {
    EXPECT_EQ(area.x, x);
    EXPECT_EQ(area.y, y);
    EXPECT_EQ(area.width, width);
    EXPECT_EQ(area.height, height);
}

// The next picture that comes within 10 s, waiting as a host does.
std::optional<VideoFrame> next_picture(CaptureSource& capture) {
    for (const auto deadline = Clock::now() + 10s; Clock::now() < deadline;)
        if (capture.wait(200ms))
            if (auto picture = capture.grab()) return picture;
    return std::nullopt;
}

TEST(X11Capture, TheSecondOfTwoMonitorsIsCapturedAloneTheWholeScreenWhileItIsGoneAndItAgainWhenItIsBack) {
    SKIP_WITHOUT_XVNC();
    const Xvnc x(1024, 768);
    x.paint("#336699");
    x.run({"xrandr", "--setmonitor", "left", "512/135x768/203+0+0", "VNC-0"});
    x.run({"xrandr", "--setmonitor", "right", "512/135x768/203+512+0", "none"});
    const std::vector<CaptureSource::Monitor> monitors = capture_of(x.display())->monitors(8);
    ASSERT_EQ(monitors.size(), 2u);
    EXPECT_EQ(monitors[0].name, "left");
    expect_area(monitors[0].area, 0, 0, 512, 768);
    EXPECT_EQ(monitors[1].name, "right");
    expect_area(monitors[1].area, 512, 0, 512, 768);

    auto capture = capture_of(x.display(), 2);
    const auto first = capture->grab();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->width(), 512u);
    EXPECT_EQ(first->height(), 768u);
    x.paint("#cc0000");
    ASSERT_TRUE(capture->wait(5s));
    const auto painted = capture->grab();
    ASSERT_TRUE(painted);
    ASSERT_EQ(painted->raw.damage_count, 1u);  // clipped to the monitor, in its pixels
    expect_area(painted->raw.damage[0], 0, 0, 512, 768);
    EXPECT_EQ(pixel(*painted, 511, 767), (std::array<uint8_t, 3>{0x00, 0x00, 0xcc}));

    // The monitor goes: the whole screen comes instead.
    x.run({"xrandr", "--delmonitor", "right"});
    const auto whole = next_picture(*capture);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->width(), 1024u);
    EXPECT_EQ(whole->height(), 768u);

    // A second monitor again, elsewhere: it is captured, not the whole screen for good.
    x.run({"xrandr", "--setmonitor", "right", "256/68x384/101+768+384", "none"});
    const auto back = next_picture(*capture);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->width(), 256u);
    EXPECT_EQ(back->height(), 384u);
    x.paint("#00cc00");
    const auto repainted = next_picture(*capture);
    ASSERT_TRUE(repainted);
    ASSERT_EQ(repainted->width(), 256u);
    EXPECT_EQ(pixel(*repainted, 255, 383), (std::array<uint8_t, 3>{0x00, 0xcc, 0x00}));
}

TEST(X11Capture, AScreenResizedMidCaptureGivesItsNextPictureAtTheNewSize) {
    SKIP_WITHOUT_XVNC();
    const Xvnc x(1024, 768);
    x.paint("#336699");
    auto capture = capture_of(x.display());
    ASSERT_TRUE(capture->grab());
    EXPECT_FALSE(capture->grab());

    x.run({"xrandr", "-s", "800x600"});
    ASSERT_TRUE(capture->wait(5s));
    const auto resized = capture->grab();
    ASSERT_TRUE(resized);
    EXPECT_EQ(resized->width(), 800u);
    EXPECT_EQ(resized->height(), 600u);
    ASSERT_EQ(resized->raw.damage_count, 1u);
    expect_area(resized->raw.damage[0], 0, 0, 800, 600);

    x.paint("#00cc00");
    const Followed repainted = follow(*capture, x, [](const Screenshot&) { return true; });
    ASSERT_TRUE(repainted.picture);
    EXPECT_EQ(pixel(*repainted.picture, 799, 599), (std::array<uint8_t, 3>{0x00, 0xcc, 0x00}));
}

TEST(X11Capture, ResizesRacingAGrabbingLoopOnABusyScreenNeverEndTheCaptureAndTheLastSizeComes) {
    SKIP_WITHOUT_XVNC();
    const Xvnc x(1024, 768);
    // Text scrolling without pause: nearly every grab reads pixels, as a resize may shrink the screen under it.
    ChildProcess busy({"xterm", "-geometry", "160x60+0+0", "-e", "sh", "-c", "while :; do seq 100000; done"},
                      {{"DISPLAY", x.display()}});
    auto capture = capture_of(x.display());
    std::atomic<bool> stop{false};
    auto grabbing = std::async(std::launch::async, [&] {
        size_t pictures = 0;
        while (!stop)
            if (capture->wait(50ms) && capture->grab()) ++pictures;
        return pictures;
    });
    const std::vector<std::string> sizes{"640x480", "1024x768", "800x600", "1024x768"};
    for (int i = 0; i < 60; ++i) x.run({"xrandr", "-s", sizes[i % sizes.size()]});
    x.run({"xrandr", "-s", "800x600"});
    stop = true;
    EXPECT_GT(grabbing.get(), 0u);  // a grab that threw would have rethrown here
    EXPECT_FALSE(capture->ended());

    // The screen still changes: the pictures come, at the last size.
    const auto last = next_picture(*capture);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->width(), 800u);
    EXPECT_EQ(last->height(), 600u);
}

TEST(X11Capture, ADisplayThatIsNotThereIsRefusedByName) {
    try {
        capture_of(":9999");
        FAIL() << "a capture of a display that does not exist";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot open X display :9999"), std::string::npos) << e.what();
    }
}

TEST(X11Capture, AMonitorThatIsNotThereIsRefused) {
    const Xvfb x(320, 240);
    try {
        capture_of(x.display(), 3);
        FAIL() << "a capture of a monitor that does not exist";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("there is no monitor 3: the screen has 1"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::test
