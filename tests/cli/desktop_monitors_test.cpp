// `tether host` on an X server with two monitors and a screen that resizes
// (TigerVNC's Xvnc: Xvfb can do neither), and `tether connect` asking for one
// monitor: the viewer is told the monitors, shows the one it asked for at
// that monitor's size, and a resize mid-session keeps the session, now at
// the new size. Judged by the viewer's own summary of what it decoded.
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
        return summary_of(run_command(argv, 60s, host_->environment()));
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

}  // namespace
}  // namespace tether::test
