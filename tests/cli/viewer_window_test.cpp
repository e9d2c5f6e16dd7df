// `tether connect` with its window, judged by independent X tools: the host
// streams one Xvfb screen (a pattern ImageMagick drew), the viewer's window
// opens on a second Xvfb, and screenshots of it (ImageMagick's import) are
// compared with the host's screen (xwd). Every wait polls with a deadline.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"
#include "x_tools.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <functional>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

constexpr double kMinPsnr = 30.0;

// True as soon as `check` holds; false when it still did not at the deadline.
bool eventually(const std::function<bool()>& check, std::chrono::milliseconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!check()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(200ms);
    }
    return true;
}

std::string size_text(const std::filesystem::path& png) {
    const auto r = run_command({"identify", "-format", "%wx%h", png.string()}, 30s);
    return r.exit_code == 0 ? r.out : "";
}

class ViewerWindowTest : public testing::Test {
protected:
    void SetUp() override { TETHER_REQUIRE_BUILT("viewer-window", "capture-x11", "codec-vpx", "transport-tcp"); }

    // `tether host` streaming a new Xvfb of this size, painted with the test pattern.
    void start_host(uint32_t width, uint32_t height) {
        host_screen_ = std::make_unique<Xvfb>(width, height);
        const auto pattern = dir_.path() / "pattern.png";
        draw_test_pattern(width, height, pattern);
        show_on_root(host_screen_->display(), pattern);
        const auto config =
            dir_.write("x11.toml", "[capture]\nplugin = \"x11\"\nsource = \"" + host_screen_->display() + "\"\n");
        setenv("DISPLAY", host_screen_->display().c_str(), 1);  // the x11 probe checks $DISPLAY
        host_ = std::make_unique<RunningHost>(dir_, std::vector<std::string>{"--config", config.string()});
        unsetenv("DISPLAY");
    }

    // `tether connect` with its window on the viewer's Xvfb, for at most two minutes, logging in detail.
    std::unique_ptr<ChildProcess> start_viewer(const std::vector<std::string>& extra) {
        return start_viewer_of(host_->address, extra);
    }
    std::unique_ptr<ChildProcess> start_viewer_of(const std::string& address, const std::vector<std::string>& extra) {
        std::vector<std::string> argv{tether_binary(), "connect", address, "--json", "-v", "--seconds", "120",
                                      "--data-dir", (dir_.path() / "viewer").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto env = environment_of(dir_);
        env["DISPLAY"] = viewer_screen_.display();
        return std::make_unique<ChildProcess>(argv, env);
    }

    std::string find_viewer_window(const std::string& name = "^tether ") {
        return find_window(viewer_screen_.display(), name, 30s);
    }

    // Whether the window shows the host's screen at `size` ("960x540") within a minute.
    ::testing::AssertionResult shows_host_screen(const std::string& id, const std::string& size) {
        const auto host_png = dir_.path() / "host.png";
        grab_screen(host_screen_->display(), host_png);
        const auto shot = dir_.path() / ("window-" + size + ".png");
        double last = 0;
        std::string last_size;
        const bool shown = eventually([&] {
            if (!grab_window(viewer_screen_.display(), id, shot)) return false;
            last_size = size_text(shot);
            last = psnr(shot, host_png);
            return last_size == size && last >= kMinPsnr;
        });
        if (shown) return ::testing::AssertionSuccess() << last << " dB";
        return ::testing::AssertionFailure() << "the window was " << last_size << " at " << last << " dB against the host's screen";
    }

    // The host at 640x480, and a viewer logged in asking for `permissions`, its window
    // showing the host's screen, focused, the pointer over it.
    void view_host(const std::string& permissions) {
        start_host(640, 480);
        viewer_ = start_viewer({"--password", host_->password, "--permissions", permissions});
        window_ = find_viewer_window();
        ASSERT_FALSE(window_.empty()) << viewer_->stderr_text();
        ASSERT_TRUE(shows_host_screen(window_, "640x480")) << viewer_->stderr_text();
        xdotool(viewer_screen_.display(), {"windowfocus", "--sync", window_});
        xdotool(viewer_screen_.display(), {"mousemove", "--window", window_, "100", "100"});
    }

    // Stops the viewer as Ctrl-C would: its exit code and the summary it printed.
    std::pair<int, nlohmann::json> stop(ChildProcess& viewer) {
        viewer.signal(SIGTERM);
        const std::string out = viewer.rest_of_stdout(30s);
        const auto status = viewer.wait_exit(30s);
        auto summary = nlohmann::json::parse(out, nullptr, false);
        return {status.value_or(-1), summary.is_discarded() ? nlohmann::json::object() : summary};
    }

    TempDir dir_;
    Xvfb viewer_screen_{2048, 1280};  // room for a 1920x1080 window at full size
    std::unique_ptr<Xvfb> host_screen_;
    std::unique_ptr<RunningHost> host_;
    std::unique_ptr<ChildProcess> viewer_;  // view_host()'s
    std::string window_;
};

TEST_F(ViewerWindowTest, TheWindowShowsTheHostsScreenAtFullAndAtHalfSize) {
    start_host(1920, 1080);
    auto viewer = start_viewer({"--password", host_->password});
    const std::string id = find_viewer_window();
    ASSERT_FALSE(id.empty()) << viewer->stderr_text();
    EXPECT_TRUE(shows_host_screen(id, "1920x1080")) << viewer->stderr_text();
    xdotool(viewer_screen_.display(), {"windowsize", id, "960", "540"});
    EXPECT_TRUE(shows_host_screen(id, "960x540")) << viewer->stderr_text();
    const auto [exit_code, summary] = stop(*viewer);
    EXPECT_EQ(exit_code, 0) << viewer->stderr_text();
    EXPECT_TRUE(summary.value("logged_in", false)) << summary.dump();
    EXPECT_GE(summary.value("frames", 0), 1) << summary.dump();
    // Ending the window's session says goodbye to the host, as closing the window does.
    EXPECT_TRUE(eventually([&] {
        return host_->process->stderr_text().find("viewer said goodbye: viewer closed") != std::string::npos;
    })) << host_->process->stderr_text();
}

TEST_F(ViewerWindowTest, WithoutAPasswordTheWindowAsksForIt) {
    start_host(640, 480);
    auto viewer = start_viewer({});
    const std::string id = find_viewer_window("Password for");
    ASSERT_FALSE(id.empty()) << viewer->stderr_text();
    xdotool(viewer_screen_.display(), {"windowfocus", "--sync", id});
    xdotool(viewer_screen_.display(), {"type", "--delay", "20", host_->password});
    xdotool(viewer_screen_.display(), {"key", "Return"});
    EXPECT_TRUE(shows_host_screen(id, "640x480")) << viewer->stderr_text();
    const auto [exit_code, summary] = stop(*viewer);
    EXPECT_EQ(exit_code, 0) << viewer->stderr_text();
    EXPECT_TRUE(summary.value("logged_in", false)) << summary.dump();
}

TEST_F(ViewerWindowTest, AWrongPasswordIsShownInTheWindowUntilItCloses) {
    start_host(640, 480);
    auto viewer = start_viewer({"--password", "not-the-password"});
    const std::string id = find_viewer_window("login refused");
    ASSERT_FALSE(id.empty()) << viewer->stderr_text();
    EXPECT_FALSE(viewer->wait_exit(0ms).has_value()) << "the viewer exited instead of showing why";
    EXPECT_NE(viewer->stderr_text().find("login refused"), std::string::npos) << viewer->stderr_text();
    // The text is drawn: the window is not one flat colour.
    const auto shot = dir_.path() / "refused.png";
    EXPECT_TRUE(eventually([&] { return grab_window(viewer_screen_.display(), id, shot) && colours(shot) > 1; }));
    const auto [exit_code, summary] = stop(*viewer);
    EXPECT_EQ(exit_code, 1);
    EXPECT_FALSE(summary.value("logged_in", true)) << summary.dump();
}

TEST_F(ViewerWindowTest, AHostThatIsNotThereIsShownInTheWindowUntilItCloses) {
    auto viewer = start_viewer_of("127.0.0.1:1", {"--password", "unused"});  // nothing listens on port 1
    const std::string id = find_viewer_window("Connection refused");
    ASSERT_FALSE(id.empty()) << viewer->stderr_text();
    EXPECT_FALSE(viewer->wait_exit(0ms).has_value()) << "the viewer exited instead of showing why";
    viewer->signal(SIGTERM);
    EXPECT_EQ(viewer->wait_exit(30s), 1) << viewer->stderr_text();
}

// The host's input service is not this test's: it checks that the window's
// mouse and keyboard go out as InputEvents the host takes, and that the session carries on.
TEST_F(ViewerWindowTest, MouseAndKeysInTheWindowGoToTheHostWhenInputIsGranted) {
    ASSERT_NO_FATAL_FAILURE(view_host("view,input"));
    const std::string& display = viewer_screen_.display();
    xdotool(display, {"click", "1"});  // down and up
    xdotool(display, {"click", "5"});  // a wheel notch down
    xdotool(display, {"type", "--delay", "20", "ab"});
    xdotool(display, {"key", "ctrl+c", "Return"});
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
    // Two button changes, a notch; two letters and Return down and up, Control and c down and up.
    EXPECT_GE(summary.value("input_sent", 0), 13) << summary.dump();
}

TEST_F(ViewerWindowTest, AViewOnlySessionSendsNoInput) {
    ASSERT_NO_FATAL_FAILURE(view_host("view"));
    xdotool(viewer_screen_.display(), {"click", "1"});
    xdotool(viewer_screen_.display(), {"type", "ab"});
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
    EXPECT_EQ(summary.value("input_sent", -1), 0) << summary.dump();
}

// The host's clipboard service is not this test's: it checks that text copied
// on the viewer's machine goes out to the host.
TEST_F(ViewerWindowTest, TextCopiedOnTheViewersMachineGoesToTheHostWhenClipboardIsGranted) {
    ASSERT_NO_FATAL_FAILURE(view_host("view,clipboard"));
    const std::string& display = viewer_screen_.display();
    // Copied in another program while the window is not focused, as a user would.
    xdotool(display, {"windowfocus", "--sync", root_window(display)});
    const auto text = dir_.write("copied.txt", "copied on the viewer");
    ChildProcess owner({"xclip", "-quiet", "-selection", "clipboard", text.string()}, {{"DISPLAY", display}});
    ASSERT_TRUE(eventually([&] {
        return run_command({"xclip", "-o", "-selection", "clipboard"}, 10s, {{"DISPLAY", display}}).out ==
               "copied on the viewer";
    }));
    xdotool(display, {"windowfocus", "--sync", window_});
    EXPECT_TRUE(eventually([&] {
        return viewer_->stderr_text().find("clipboard: 20 bytes sent to the host") != std::string::npos;
    })) << viewer_->stderr_text();
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(summary.value("clipboard_sent", 0), 1) << summary.dump();
}

TEST(ViewerWithoutDisplay, ConnectWithoutADisplayRunsHeadlessAndSaysSo) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir);
    auto argv = std::vector<std::string>{tether_binary(), "connect", host.address, "--json", "--seconds", "1",
                                         "--password", host.password, "--data-dir", (dir.path() / "viewer").string()};
    auto env = environment_of(dir);
    env["DISPLAY"] = ":9999";  // no such servers
    env["WAYLAND_DISPLAY"] = "tether-test-no-such-display";
    const auto r = run_command(argv, 60s, env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(summary_of(r).value("logged_in", false)) << r.out;
    EXPECT_NE(r.err.find("running headless"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tether::test
