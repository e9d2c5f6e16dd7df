// `tether host` on an X server with two monitors and a screen that resizes
// (TigerVNC's Xvnc: Xvfb can do neither), and `tether connect` asking for one
// monitor: the viewer is told the monitors, shows the one it asked for at
// that monitor's size, and a resize mid-session keeps the session, now at
// the new size. Judged by the viewer's own summary of what it decoded.
#include "build_parts.h"
#include "child_process.h"
#include "process.h"
#include "running_host.h"
#include "x_terminal.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

class DesktopMonitors : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT("capture-x11", "codec-vpx", "transport-tcp");
        if (!Xvnc::installed()) GTEST_SKIP() << "Xvnc (tigervnc-standalone-server) is not installed";
        x_.emplace(1024, 768);
        x_->paint("#336699");
        x_->run({"xrandr", "--setmonitor", "left", "512/135x768/203+0+0", "VNC-0"});
        x_->run({"xrandr", "--setmonitor", "right", "512/135x768/203+512+0", "none"});
        setenv("DISPLAY", x_->display().c_str(), 1);
        const auto config = dir_.write("monitors.toml", "[capture]\nplugin = \"x11\"\n");
        host_.emplace(dir_, std::vector<std::string>{"--config", config.string()});
        unsetenv("DISPLAY");
    }

    nlohmann::json view(const std::string& seconds, const std::vector<std::string>& extra) {
        std::vector<std::string> argv = host_->connect_argv(seconds, host_->password);
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto summary = summary_of(run_command(argv, 60s, host_->environment()));
        host_->next_password();
        return summary;
    }

    TempDir dir_;
    std::optional<Xvnc> x_;
    std::optional<RunningHost> host_;
};

TEST_F(DesktopMonitors, TheViewerIsToldTheMonitorsAndShowsTheOneItAskedFor) {
    const auto viewed = view("3", {"--monitor", "2"});
    ASSERT_TRUE(viewed.value("logged_in", false)) << viewed.dump();
    EXPECT_EQ(viewed["monitors"], 2) << viewed.dump();
    EXPECT_EQ(viewed["monitor"], 2) << viewed.dump();
    // The whole screen until the switch, then the right monitor alone.
    EXPECT_EQ(viewed["sizes"].back(), "512x768") << viewed.dump();
    EXPECT_EQ(viewed["width"], 512) << viewed.dump();
}

TEST_F(DesktopMonitors, AMonitorThatIsNotThereIsRefusedAndTheWholeScreenStays) {
    const auto viewed = view("2", {"--monitor", "5"});
    ASSERT_TRUE(viewed.value("logged_in", false)) << viewed.dump();
    EXPECT_EQ(viewed["monitor"], 0) << viewed.dump();
    EXPECT_EQ(viewed["width"], 1024) << viewed.dump();
    EXPECT_NE(host_->process->stderr_text().find("no monitor 5 to show"), std::string::npos);
}

TEST_F(DesktopMonitors, AResizeMidSessionKeepsTheSessionAtTheNewSize) {
    std::thread resize([&] {
        std::this_thread::sleep_for(2s);
        x_->run({"xrandr", "-s", "800x600"});
        x_->paint("#802020");  // something to send at the new size
    });
    const auto viewed = view("6", {});
    resize.join();
    ASSERT_TRUE(viewed.value("logged_in", false)) << viewed.dump();
    EXPECT_EQ(viewed["end_reason"], "viewer closed") << viewed.dump();  // the time ran out, nothing else
    EXPECT_EQ(viewed["sizes"].front(), "1024x768") << viewed.dump();
    EXPECT_EQ(viewed["sizes"].back(), "800x600") << viewed.dump();
}

// Nothing on the screen changes: a viewer that comes later still gets the picture, as a keyframe
// of the last one grabbed.
TEST_F(DesktopMonitors, AViewerOfAScreenThatDoesNotChangeGetsItsPictureAfterAnother) {
    for (int viewer = 1; viewer <= 2; ++viewer) {
        const auto viewed = view("2", {});
        EXPECT_GE(viewed.value("frames", 0), 1) << "viewer " << viewer << ": " << viewed.dump();
        EXPECT_GE(viewed.value("keyframes", 0), 1) << "viewer " << viewer << ": " << viewed.dump();
    }
}

// Nobody watches the whole screen's video while the viewer shows a monitor: the list still follows the screen.
TEST_F(DesktopMonitors, AViewerOfOneMonitorIsToldOfAMonitorAddedMeanwhile) {
    std::thread add([&] {
        std::this_thread::sleep_for(2s);
        x_->run({"xrandr", "--setmonitor", "middle", "512/135x384/101+256+192", "none"});
    });
    const auto viewed = view("5", {"--monitor", "1"});
    add.join();
    ASSERT_TRUE(viewed.value("logged_in", false)) << viewed.dump();
    EXPECT_EQ(viewed["monitor"], 1) << viewed.dump();
    EXPECT_EQ(viewed["monitors"], 3) << viewed.dump();
}

// The monitor shown goes: the session goes on, showing the whole screen.
TEST_F(DesktopMonitors, AViewerOfAMonitorThatGoesIsShownTheWholeScreen) {
    std::thread remove([&] {
        std::this_thread::sleep_for(2s);
        x_->run({"xrandr", "--delmonitor", "right"});
        x_->paint("#208020");  // something to send after it
    });
    const auto viewed = view("5", {"--monitor", "2"});
    remove.join();
    ASSERT_TRUE(viewed.value("logged_in", false)) << viewed.dump();
    EXPECT_EQ(viewed["end_reason"], "viewer closed") << viewed.dump();
    EXPECT_EQ(viewed["monitor"], 0) << viewed.dump();
    EXPECT_EQ(viewed["monitors"], 1) << viewed.dump();
    EXPECT_EQ(viewed["width"], 1024) << viewed.dump();
}

// A monitor's capture, encoder and threads go with the last session that shows it.
TEST_F(DesktopMonitors, AMonitorsVideoGoesWithItsLastViewer) {
    view("1", {});  // what the host keeps once it has had a session
    const long before = usage_of(host_->process->pid()).threads;
    const auto viewed = view("2", {"--monitor", "2"});
    ASSERT_EQ(viewed["monitor"], 2) << viewed.dump();
    long now = 0;
    EXPECT_TRUE(eventually([&] { return (now = usage_of(host_->process->pid()).threads) <= before; }))
        << before << " threads before, " << now << " after";
}

}  // namespace
}  // namespace tether::test
