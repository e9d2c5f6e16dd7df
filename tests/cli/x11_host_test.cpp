// `tether host` on a real X server (Xvfb) streams its screen to `tether
// connect`; an idle screen sends nothing new; the picture the viewer saved
// shows the colour xsetroot painted, as ffmpeg decodes that PNG.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// R, G, B of the top-left pixel of a PNG, as ffmpeg reads it.
std::array<int, 3> first_pixel(const std::filesystem::path& png) {
    const auto r = run_command({"ffmpeg", "-v", "error", "-i", png.string(), "-frames:v", "1", "-f", "rawvideo",
                                "-pix_fmt", "rgb24", "-"});
    if (r.exit_code != 0 || r.out.size() < 3) throw std::runtime_error("ffmpeg could not read " + png.string() + ": " + r.err);
    return {static_cast<uint8_t>(r.out[0]), static_cast<uint8_t>(r.out[1]), static_cast<uint8_t>(r.out[2])};
}

TEST(X11Host, TheHostStreamsItsXScreenAndAnIdleScreenSendsNothingNew) {
    TETHER_REQUIRE_BUILT("capture-x11", "codec-vpx", "transport-tcp");
    const Xvfb x(640, 480);
    x.paint("#205080");
    TempDir dir;
    setenv("DISPLAY", x.display().c_str(), 1);  // the probe checks $DISPLAY, as a desktop session sets it
    const auto config = dir.write("x11.toml", "[capture]\nplugin = \"x11\"\n");
    RunningHost host(dir, {"--config", config.string()});
    unsetenv("DISPLAY");
    ChildProcess viewer(host.connect_argv("5", host.password), host.environment());
    // A new password shows once the viewer logged in: its first picture, of the screen as it is then, comes
    // within a capture period; the repaint a second later is a change after it.
    host.next_password();
    std::this_thread::sleep_for(1s);
    x.paint("#802020");
    ASSERT_EQ(viewer.wait_exit(60s), 0) << viewer.stderr_text();
    const auto viewed = nlohmann::json::parse(viewer.rest_of_stdout(5s));
    ASSERT_TRUE(viewed.value("logged_in", false)) << viewed.dump();
    EXPECT_EQ(viewed["width"], 640);
    EXPECT_EQ(viewed["height"], 480);
    // The first picture and the repainted one; an unchanged screen gives no more.
    EXPECT_GE(viewed.value("frames", 0), 2) << viewed.dump();
    EXPECT_LE(viewed.value("frames", 0), 4) << viewed.dump();
}

TEST(X11Host, TheViewersLastPictureShowsWhatWasPainted) {
    TETHER_REQUIRE_BUILT("capture-x11", "codec-vpx", "transport-tcp", "png-output");
    const Xvfb x(320, 240);
    x.paint("#802020");
    TempDir dir;
    setenv("DISPLAY", x.display().c_str(), 1);
    const auto config = dir.write("x11.toml", "[capture]\nplugin = \"x11\"\n");
    RunningHost host(dir, {"--config", config.string()});
    unsetenv("DISPLAY");
    const auto png = dir.path() / "last.png";
    std::vector<std::string> argv = host.connect_argv("1", host.password);
    argv.insert(argv.end(), {"--png", png.string()});
    const auto r = run_command(argv, 60s, host.environment());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto [red, green, blue] = first_pixel(png);
    // VP9 at a low bitrate shifts a flat colour by a few steps at most.
    EXPECT_NEAR(red, 0x80, 8);
    EXPECT_NEAR(green, 0x20, 8);
    EXPECT_NEAR(blue, 0x20, 8);
}

}  // namespace
}  // namespace tether::test
