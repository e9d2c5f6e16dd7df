// `tether connect` with its window, judged by independent X tools: the host
// streams one Xvfb screen (a pattern ImageMagick drew) and runs its input and
// clipboard services there, the viewer's window opens on a second Xvfb;
// screenshots of it (ImageMagick's import) are compared with the host's
// screen (xwd), xdotool types and clicks into the window and reads where the
// host's pointer went, an xterm on the host shows what was typed, and xclip
// copies and pastes on both displays. Every wait polls with a deadline.
#include "build_parts.h"
#include "process.h"
#include "running_host.h"
#include "x_terminal.h"
#include "x_tools.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <cstdlib>
#include <functional>
#include <regex>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

constexpr double kMinPsnr = 30.0;

std::string size_text(const std::filesystem::path& png) {
    const auto r = run_command({"identify", "-format", "%wx%h", png.string()}, 30s);
    return r.exit_code == 0 ? r.out : "";
}

class ViewerWindowTest : public testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT("viewer-window", "capture-x11", "codec-vpx", "transport-tcp", "service-input",
                             "service-clipboard");
    }

    // `tether host` streaming a new Xvfb of this size, painted with the test pattern.
    void start_host(uint32_t width, uint32_t height) {
        host_screen_ = std::make_unique<Xvfb>(width, height);
        const auto pattern = dir_.path() / "pattern.png";
        draw_test_pattern(width, height, pattern);
        show_on_root(host_screen_->display(), pattern);
        const auto config = dir_.write("x11.toml", "[capture]\nplugin = \"x11\"\n[services]\n"
                                                   "plugins = [\"x11-input\", \"x11-clipboard\"]\n");
        // The host finds its desktop as a desktop session's programs do.
        setenv("DISPLAY", host_screen_->display().c_str(), 1);
        host_ = std::make_unique<RunningHost>(dir_, std::vector<std::string>{"--config", config.string()});
        unsetenv("DISPLAY");
    }

    // `tether connect` with its window on the viewer's Xvfb, for at most two minutes, logging in detail.
    std::unique_ptr<ChildProcess> start_viewer(const std::vector<std::string>& extra) {
        return start_viewer_of(host_->address, extra);
    }
    std::unique_ptr<ChildProcess> start_viewer_of(const std::string& address, const std::vector<std::string>& extra,
                                                  const XServer* screen = nullptr) {
        std::vector<std::string> argv{tether_binary(), "connect", address, "--json", "-v", "--seconds", "120",
                                      "--data-dir", (dir_.path() / "viewer").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto env = environment_of(dir_);
        env["DISPLAY"] = (screen != nullptr ? *screen : viewer_screen_).display();
        return std::make_unique<ChildProcess>(argv, env);
    }

    std::string find_viewer_window(const std::string& name = "^tether ") {
        return find_window(viewer_screen_.display(), name, 30s);
    }

    // Whether the window shows the host's screen at `size` ("960x540") within a minute.
    ::testing::AssertionResult shows_host_screen(const std::string& id, const std::string& size,
                                                 double min_psnr = kMinPsnr) {
        const auto host_png = dir_.path() / "host.png";
        grab_screen(host_screen_->display(), host_png);
        const auto shot = dir_.path() / ("window-" + size + ".png");
        double last = 0;
        std::string last_size;
        const bool shown = eventually([&] {
            if (!grab_window(viewer_screen_.display(), id, shot)) return false;
            last_size = size_text(shot);
            last = psnr(shot, host_png);
            return last_size == size && last >= min_psnr;
        }, 60s);
        if (shown) return ::testing::AssertionSuccess() << last << " dB";
        return ::testing::AssertionFailure() << "the window was " << last_size << " at " << last << " dB against the host's screen";
    }

    // The host at `width` x `height`, and a viewer logged in asking for `permissions`, its
    // window showing the host's screen at full size, focused, the pointer over it.
    void view_host(const std::string& permissions, uint32_t width = 640, uint32_t height = 480) {
        start_host(width, height);
        viewer_ = start_viewer({"--password", host_->password, "--permissions", permissions});
        window_ = find_viewer_window();
        ASSERT_FALSE(window_.empty()) << viewer_->stderr_text();
        ASSERT_TRUE(shows_host_screen(window_, std::to_string(width) + "x" + std::to_string(height)))
            << viewer_->stderr_text();
        xdotool(viewer_screen_.display(), {"windowfocus", "--sync", window_});
        xdotool(viewer_screen_.display(), {"mousemove", "--window", window_, "100", "100"});
    }

    // Stops the viewer as Ctrl-C would: its exit code and the summary it printed.
    std::pair<int, nlohmann::json> stop(ChildProcess& viewer) {
        viewer.signal(SIGTERM);
        return ended(viewer);
    }
    // The exit code and the summary of a viewer that ends by itself.
    static std::pair<int, nlohmann::json> ended(ChildProcess& viewer) {
        const std::string out = viewer.rest_of_stdout(30s);
        const auto status = viewer.wait_exit(30s);
        auto summary = nlohmann::json::parse(out, nullptr, false);
        return {status.value_or(-1), summary.is_discarded() ? nlohmann::json::object() : summary};
    }

    // Where xdotool finds the host's pointer: "x,y".
    std::string host_pointer() const {
        std::smatch at;
        static const std::regex xy(R"(X=(\d+)\nY=(\d+))");
        const std::string out = run_command({"xdotool", "getmouselocation", "--shell"}, 30s,
                                            {{"DISPLAY", host_screen_->display()}}).out;
        return std::regex_search(out, at, xy) ? at[1].str() + "," + at[2].str() : "unknown: " + out;
    }
    // What xclip pastes from the clipboard of `display`.
    static std::string paste(const std::string& display) {
        return run_command({"xclip", "-o", "-selection", "clipboard"}, 10s, {{"DISPLAY", display}}).out;
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

// Xlib's default handler would exit on the BadWindow that follows, with no report.
TEST_F(ViewerWindowTest, AWindowDestroyedByAnotherClientEndsTheSessionAsAClose) {
    view_host("view");
    xdotool(viewer_screen_.display(), {"windowclose", window_});
    const auto [exit_code, summary] = ended(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
    EXPECT_TRUE(summary.value("logged_in", false)) << summary.dump();
}

TEST_F(ViewerWindowTest, AViewerWhoseXServerDiesSaysSoAndReportsTheSession) {
    start_host(640, 480);
    auto screen = std::make_unique<Xvfb>(800, 600);
    auto viewer = start_viewer_of(host_->address, {"--password", host_->password}, screen.get());
    ASSERT_TRUE(eventually([&] { return viewer->stderr_text().find("connected to") != std::string::npos; }))
        << viewer->stderr_text();
    // Logged in: the title says "logging in" until the host's first picture is shown.
    ASSERT_FALSE(find_window(screen->display(), "^tether [^ ]+$", 30s).empty()) << viewer->stderr_text();
    screen.reset();  // the X server is killed
    const auto [exit_code, summary] = ended(*viewer);
    EXPECT_EQ(exit_code, 1) << viewer->stderr_text();
    EXPECT_TRUE(summary.value("logged_in", false)) << summary.dump();
    EXPECT_NE(viewer->stderr_text().find("the viewer window is gone: the X display went away"), std::string::npos)
        << viewer->stderr_text();
}

TEST_F(ViewerWindowTest, KeysTypedIntoTheWindowAppearInTheHostsXtermAccentsEuroAndCyrillicToo) {
    ASSERT_NO_FATAL_FAILURE(view_host("view,input"));
    const Terminal terminal(host_screen_->display(), dir_);
    const std::string& display = viewer_screen_.display();
    xdotool(display, {"windowfocus", "--sync", window_});
    // é and € need AltGr or a dead key on most layouts and ж another layout: xdotool
    // types them by remapping the viewer's keymap, the window sends them as characters.
    xdotool(display, {"type", "--delay", "40", "Hello é€ж"});
    xdotool(display, {"key", "Return"});
    EXPECT_EQ(terminal.text_when("Hello é€ж\n"), "Hello é€ж\n");
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
}

// Typing on the host: each character (the glyph and the text cursor, two colours) comes as a
// screen patch painted on the window's picture, which still matches the host's screen.
TEST_F(ViewerWindowTest, TextTypedOnTheHostComesAsPatchesAndTheWindowShowsIt) {
    ASSERT_NO_FATAL_FAILURE(view_host("view"));
    const Terminal terminal(host_screen_->display(), dir_);
    const std::map<std::string, std::string> host_display{{"DISPLAY", host_screen_->display()}};
    run_command({"xdotool", "mousemove", "100", "100"}, 10s, host_display);  // the xterm has the keyboard
    run_command({"xdotool", "type", "--delay", "100", "patched exactly\n"}, 60s, host_display);
    EXPECT_EQ(terminal.text_when("patched exactly\n"), "patched exactly\n");
    // 36 dB here; a patch painted in the background's colour alone gives 29.
    EXPECT_TRUE(shows_host_screen(window_, "640x480", 33.0)) << viewer_->stderr_text();
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
    EXPECT_GE(summary.value("patches", 0), 10) << summary.dump();
}

TEST_F(ViewerWindowTest, AClickLandsOnTheRightHostPixelWithTheWindowAtFullAndAtHalfSize) {
    ASSERT_NO_FATAL_FAILURE(view_host("view,input", 1920, 1080));
    const std::string& display = viewer_screen_.display();
    xdotool(display, {"mousemove", "--window", window_, "1234", "567"});
    xdotool(display, {"click", "1"});
    EXPECT_TRUE(eventually([&] { return host_pointer() == "1234,567"; })) << host_pointer();

    xdotool(display, {"windowsize", "--sync", window_, "960", "540"});
    ASSERT_TRUE(shows_host_screen(window_, "960x540")) << viewer_->stderr_text();
    xdotool(display, {"mousemove", "--window", window_, "400", "300"});
    xdotool(display, {"click", "1"});
    // One window pixel is two host pixels: (400, 300) is (800, 600) or its neighbour.
    std::string at;
    EXPECT_TRUE(eventually([&] {
        at = host_pointer();
        return at == "800,600" || at == "801,600" || at == "800,601" || at == "801,601";
    })) << at;
}

TEST_F(ViewerWindowTest, AViewOnlySessionSendsNoInputAndMovesNothing) {
    ASSERT_NO_FATAL_FAILURE(view_host("view"));
    run_command({"xdotool", "mousemove", "5", "5"}, 10s, {{"DISPLAY", host_screen_->display()}});
    xdotool(viewer_screen_.display(), {"mousemove", "--window", window_, "300", "200"});
    xdotool(viewer_screen_.display(), {"click", "1"});
    xdotool(viewer_screen_.display(), {"type", "ab"});
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
    EXPECT_EQ(summary.value("input_sent", -1), 0) << summary.dump();
    EXPECT_EQ(host_pointer(), "5,5");
}

TEST_F(ViewerWindowTest, TextCopiedOnEitherSideCanBePastedOnTheOther) {
    ASSERT_NO_FATAL_FAILURE(view_host("view,clipboard"));
    const std::string& display = viewer_screen_.display();
    // Copied on the host: the viewer's display has it.
    const auto on_host = dir_.write("on-host.txt", "copied on the host ж");
    ChildProcess host_owner({"xclip", "-quiet", "-selection", "clipboard", on_host.string()},
                            {{"DISPLAY", host_screen_->display()}});
    EXPECT_TRUE(eventually([&] { return paste(display) == "copied on the host ж"; })) << paste(display);

    // Copied in another program on the viewer's machine while the window is not focused,
    // as a user would: the host has it once the window has the focus again.
    xdotool(display, {"windowfocus", "--sync", root_window(display)});
    const auto on_viewer = dir_.write("on-viewer.txt", "copied on the viewer €");
    ChildProcess viewer_owner({"xclip", "-quiet", "-selection", "clipboard", on_viewer.string()}, {{"DISPLAY", display}});
    ASSERT_TRUE(eventually([&] { return paste(display) == "copied on the viewer €"; }));
    xdotool(display, {"windowfocus", "--sync", window_});
    EXPECT_TRUE(eventually([&] { return paste(host_screen_->display()) == "copied on the viewer €"; }))
        << paste(host_screen_->display()) << "\n" << viewer_->stderr_text();
    const auto [exit_code, summary] = stop(*viewer_);
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
}

TEST_F(ViewerWindowTest, AViewOnlySessionChangesNeitherClipboard) {
    ASSERT_NO_FATAL_FAILURE(view_host("view"));
    const std::string& display = viewer_screen_.display();
    const auto on_host = dir_.write("on-host.txt", "host text");
    ChildProcess host_owner({"xclip", "-quiet", "-selection", "clipboard", on_host.string()},
                            {{"DISPLAY", host_screen_->display()}});
    xdotool(display, {"windowfocus", "--sync", root_window(display)});
    const auto on_viewer = dir_.write("on-viewer.txt", "viewer text");
    ChildProcess viewer_owner({"xclip", "-quiet", "-selection", "clipboard", on_viewer.string()}, {{"DISPLAY", display}});
    ASSERT_TRUE(eventually([&] { return paste(display) == "viewer text"; }));
    xdotool(display, {"windowfocus", "--sync", window_});
    const auto [exit_code, summary] = stop(*viewer_);  // every message the window sent has reached the host
    EXPECT_EQ(exit_code, 0) << viewer_->stderr_text();
    EXPECT_EQ(summary.value("clipboard_sent", -1), 0) << summary.dump();
    EXPECT_EQ(paste(host_screen_->display()), "host text");
    EXPECT_EQ(paste(display), "viewer text");
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
