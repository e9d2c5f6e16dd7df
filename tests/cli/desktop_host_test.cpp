// `tether host` sharing a real X desktop (Xvfb, 1920x1080) with its services,
// driven by a viewer's session over the real protocol and judged by
// independent tools: an xterm's `cat` for the keys, xdotool for the pointer,
// xclip for the clipboard.
#include "build_parts.h"
#include "process.h"
#include "raw_session.h"
#include "running_host.h"
#include "session/permissions.h"
#include "x_terminal.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using session::kClipboard;
using session::kInput;
using session::kView;

constexpr uint32_t kReturn = 0xff0d;

proto::SessionMessage key(uint32_t keysym, bool down) {
    proto::SessionMessage m;
    m.mutable_input()->mutable_key()->set_keysym(keysym);
    m.mutable_input()->mutable_key()->set_down(down);
    return m;
}

proto::SessionMessage pointer(int32_t x, int32_t y, uint32_t buttons = 0) {
    proto::SessionMessage m;
    auto* p = m.mutable_input()->mutable_pointer();
    p->set_x(x);
    p->set_y(y);
    p->set_buttons(buttons);
    return m;
}

proto::SessionMessage clipboard(const std::string& text) {
    proto::SessionMessage m;
    m.mutable_clipboard()->set_text(text);
    return m;
}

class DesktopHost : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT("capture-x11", "codec-vpx", "transport-tcp", "service-input", "service-clipboard");
        x_.emplace(1920, 1080);
        // The host finds its desktop as a desktop session's programs do.
        setenv("DISPLAY", x_->display().c_str(), 1);
        const auto config = dir_.write("desktop.toml", "[capture]\nplugin = \"x11\"\n[services]\n"
                                                       "plugins = [\"x11-input\", \"x11-clipboard\"]\n");
        host_.emplace(dir_, std::vector<std::string>{"--config", config.string()});
        unsetenv("DISPLAY");
        ASSERT_EQ(host_->ready["services"], nlohmann::json::array({"x11-input", "x11-clipboard"})) << host_->ready.dump();
    }

    std::unique_ptr<RawSession> session(uint32_t permissions) {
        auto s = std::make_unique<RawSession>(host_->address);
        const auto answer = s->log_in(host_->password, permissions, {"vp9"});
        EXPECT_TRUE(answer.ok()) << answer.reason();
        host_->next_password();
        return s;
    }

    CommandResult tool(const std::vector<std::string>& argv) const {
        return run_command(argv, 30s, {{"DISPLAY", x_->display()}});
    }
    std::string pointer_location() const {
        std::smatch at;
        const std::string out = tool({"xdotool", "getmouselocation", "--shell"}).out;
        static const std::regex xy(R"(X=(\d+)\nY=(\d+))");
        return std::regex_search(out, at, xy) ? at[1].str() + "," + at[2].str() : "unknown: " + out;
    }
    std::string paste() const { return tool({"xclip", "-selection", "clipboard", "-o"}).out; }

    TempDir dir_;
    std::optional<Xvfb> x_;
    std::optional<RunningHost> host_;
};

// The next message of a kind, skipping the rest (pictures, the cursor).
std::optional<proto::SessionMessage> next_of(RawSession& s, proto::SessionMessage::BodyCase kind,
                                             std::chrono::milliseconds within) {
    for (const auto end = std::chrono::steady_clock::now() + within; std::chrono::steady_clock::now() < end;)
        if (auto m = s.receive(100ms); m && m->body_case() == kind) return m;
    return std::nullopt;
}

TEST_F(DesktopHost, AViewersKeysAppearInTheHostsXtermAccentsEuroAndCyrillicTooOnAUsKeymap) {
    const Terminal terminal(x_->display(), dir_);
    auto viewer = session(kView | kInput);
    // Latin-1 keysyms as themselves, the rest as Unicode keysyms, as the viewer window sends them.
    for (const uint32_t keysym : {0x68u, 0x69u, 0x20u, 0xe9u, 0x10020acu, 0x1000436u, kReturn}) {
        viewer->send(key(keysym, true));
        viewer->send(key(keysym, false));
    }
    EXPECT_EQ(terminal.text_when("hi é€ж\n"), "hi é€ж\n");
}

TEST_F(DesktopHost, APointerEventLandsOnItsPixel) {
    auto viewer = session(kView | kInput);
    viewer->send(pointer(1234, 567));
    eventually([&] { return pointer_location() == "1234,567"; });
    EXPECT_EQ(pointer_location(), "1234,567");
}

TEST_F(DesktopHost, ThePointerGoesToTheViewerApartFromThePicture) {
    auto viewer = session(kView);
    tool({"xdotool", "mousemove", "321", "123"});
    bool seen = false;
    for (const auto end = std::chrono::steady_clock::now() + 20s; !seen && std::chrono::steady_clock::now() < end;) {
        const auto m = next_of(*viewer, proto::SessionMessage::kCursorPosition, 1s);
        seen = m && m->cursor_position().x() == 321 && m->cursor_position().y() == 123;
    }
    EXPECT_TRUE(seen);
}

TEST_F(DesktopHost, ClipboardTextGoesBothWays) {
    auto viewer = session(kView | kClipboard);
    const auto copied = dir_.write("copied.txt", "from the host ж");
    ChildProcess xclip({"xclip", "-display", x_->display(), "-selection", "clipboard", "-quiet", copied.string()});
    const auto text = next_of(*viewer, proto::SessionMessage::kClipboard, 20s);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->clipboard().text(), "from the host ж");

    viewer->send(clipboard("from the viewer €"));
    eventually([&] { return paste() == "from the viewer €"; });
    EXPECT_EQ(paste(), "from the viewer €");
}

TEST_F(DesktopHost, AViewOnlySessionMovesNoPointerAndChangesNoClipboard) {
    tool({"xdotool", "mousemove", "10", "10"});
    const auto copied = dir_.write("copied.txt", "stays");
    ChildProcess xclip({"xclip", "-display", x_->display(), "-selection", "clipboard", "-quiet", copied.string()});
    eventually([&] { return paste() == "stays"; });
    auto viewer = session(kView);
    viewer->send(pointer(900, 900));
    viewer->send(clipboard("must not land"));
    viewer.reset();  // its messages came before its end, and both before the next login
    auto controller = session(kView | kInput);
    EXPECT_EQ(pointer_location(), "10,10");
    EXPECT_EQ(paste(), "stays");
    // The same host does move the pointer for a session that may.
    controller->send(pointer(20, 20));
    eventually([&] { return pointer_location() == "20,20"; });
    EXPECT_EQ(pointer_location(), "20,20");
}

}  // namespace
}  // namespace tether::test
