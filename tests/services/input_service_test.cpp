// service-input on a real X server (Xvfb), judged by independent tools:
// xdotool for where the pointer is, xev for the buttons and keys the server
// delivered, and an xterm whose keyboard input `cat` writes to a file.
#include "captured_log.h"
#include "child_process.h"
#include "core/host_api.h"
#include "core/plugin_objects.h"
#include "process.h"
#include "temp_dir.h"
#include "test_host.h"
#include "x_terminal.h"
#include "xvfb.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <regex>
#include <sstream>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kSession = 1;
constexpr uint32_t kMayType = TETHER_PERMISSION_VIEW | TETHER_PERMISSION_INPUT;
constexpr uint32_t kReturn = 0xff0d;
constexpr uint32_t kShiftL = 0xffe1;
constexpr uint32_t kCapsLock = 0xffe5;
constexpr uint32_t kNumLock = 0xff7f;
constexpr uint32_t kKeypad1 = 0xffb1;

tether_input_event pointer(int32_t x, int32_t y, uint32_t buttons = 0, int32_t wheel_x = 0, int32_t wheel_y = 0) {
    return {sizeof(tether_input_event), TETHER_INPUT_POINTER, x, y, buttons, wheel_x, wheel_y, 0, 0};
}

tether_input_event key(uint32_t keysym, bool down) {
    return {sizeof(tether_input_event), TETHER_INPUT_KEY, 0, 0, 0, 0, 0, keysym, down ? 1u : 0u};
}

// The keysym a viewer sends for a character: Latin-1 as itself, the rest as Unicode keysyms.
uint32_t keysym_of(char32_t c) { return c < 0x100 ? static_cast<uint32_t>(c) : 0x1000000u + static_cast<uint32_t>(c); }

std::string utf8(std::u32string_view text) {
    std::string out;
    for (const char32_t c : text) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xc0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3f));
        } else {
            out += static_cast<char>(0xe0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (c & 0x3f));
        }
    }
    return out;
}

// How many times `needle` occurs in `text`.
size_t occurrences(const std::string& text, const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// xev on the root window: what the server delivered there, as "ButtonPress 1",
// "KeyRelease Shift_L" (the keysym the event's own state gives).
class RootEvents {
public:
    RootEvents(const std::string& display, const TempDir& dir) : file_(dir.path() / "xev.txt") {
        xev_ = std::make_unique<ChildProcess>(std::vector<std::string>{
            "sh", "-c",
            "exec xev -display " + display + " -root -event button -event keyboard -event property > " + file_.string()});
        // Listening once it reports a change xsetroot makes to the root window.
        const bool ready = eventually([&] {
            run_command({"xsetroot", "-display", display, "-name", "ready"});
            return file_text(file_).find("PropertyNotify") != std::string::npos;
        });
        if (!ready) throw std::runtime_error("xev did not start: " + xev_->stderr_text());
    }

    std::vector<std::string> seen() const {
        static const std::regex event(R"((ButtonPress|ButtonRelease|KeyPress|KeyRelease) event,)");
        static const std::regex button(R"(, button (\d+),)");
        static const std::regex keysym(R"(\(keysym 0x[0-9a-f]+, ([^)]+)\))");
        std::vector<std::string> events;
        std::stringstream blocks(file_text(file_));
        std::string line;
        std::string block;
        const auto take = [&] {
            std::smatch name;
            std::smatch detail;
            if (std::regex_search(block, name, event) &&
                (std::regex_search(block, detail, button) || std::regex_search(block, detail, keysym)))
                events.push_back(name[1].str() + " " + detail[1].str());
            block.clear();
        };
        while (std::getline(blocks, line)) {
            if (line.empty()) take();
            else block += line + "\n";
        }
        take();  // the last event, before the blank line xev writes ahead of the next
        return events;
    }

    // What was seen once there are `count` events (or the time is up).
    std::vector<std::string> wait_for(size_t count) const {
        eventually([&] { return seen().size() >= count; });
        return seen();
    }

private:
    std::filesystem::path file_;
    std::unique_ptr<ChildProcess> xev_;
};

class InputService : public ::testing::Test {
protected:
    InputService() : x_(std::make_unique<Xvfb>(640, 480)) {
        set_plugin_settings({{"x11-input", {{"display", x_->display()}}}});
        service_ = std::make_unique<Service>(plugin(TETHER_KIND_SERVICE, "x11-input"));
    }
    ~InputService() override {
        service_.reset();
        set_plugin_settings({});
    }

    void send(const tether_input_event& event, uint64_t session = kSession, uint32_t permissions = kMayType) {
        send_bytes({reinterpret_cast<const uint8_t*>(&event), sizeof event}, session, permissions);
    }
    void send_bytes(std::span<const uint8_t> bytes, uint64_t session = kSession, uint32_t permissions = kMayType) {
        service_->deliver("input", bytes, session, permissions);
    }
    void tap(uint32_t keysym, uint64_t session = kSession) {
        send(key(keysym, true), session);
        send(key(keysym, false), session);
    }
    void type(std::u32string_view text) {
        for (const char32_t c : text) tap(keysym_of(c));
    }

    CommandResult tool(const std::vector<std::string>& argv) const {
        return run_command(argv, 30s, {{"DISPLAY", x_->display()}});
    }
    // Where xdotool finds the pointer: "x,y".
    std::string pointer_location() const {
        const std::string out = tool({"xdotool", "getmouselocation", "--shell"}).out;
        std::smatch at;
        static const std::regex xy(R"(X=(\d+)\nY=(\d+))");
        return std::regex_search(out, at, xy) ? at[1].str() + "," + at[2].str() : "unknown: " + out;
    }
    std::string pointer_location_when(const std::string& expected) const {
        eventually([&] { return pointer_location() == expected; });
        return pointer_location();
    }

    TempDir dir_;
    std::unique_ptr<Xvfb> x_;
    std::unique_ptr<Service> service_;
};

TEST_F(InputService, ThePointerGoesWhereTheViewerPointsAndStaysOnTheScreen) {
    send(pointer(123, 45));
    EXPECT_EQ(pointer_location_when("123,45"), "123,45");
    send(pointer(10000, -50));
    EXPECT_EQ(pointer_location_when("639,0"), "639,0");
    send(pointer(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
    EXPECT_EQ(pointer_location_when("0,479"), "0,479");
}

TEST_F(InputService, ButtonsChangeAsTheHeldSetDoesAndTheWheelTurnsANotchAtATime) {
    const RootEvents root(x_->display(), dir_);
    send(pointer(10, 10, TETHER_BUTTON_LEFT));
    send(pointer(20, 10, TETHER_BUTTON_LEFT | TETHER_BUTTON_RIGHT));
    send(pointer(30, 10, TETHER_BUTTON_RIGHT | TETHER_BUTTON_MIDDLE));
    send(pointer(30, 10, 0));
    send(pointer(30, 10, TETHER_BUTTON_BACK | TETHER_BUTTON_FORWARD));
    send(pointer(30, 10, 0));
    send(pointer(30, 10, 0, 0, 2));   // down, two notches
    send(pointer(30, 10, 0, 0, -1));  // up
    send(pointer(30, 10, 0, 1, 0));   // right
    send(pointer(30, 10, 0, -2, 0));  // left, two notches
    const std::vector<std::string> expected{
        "ButtonPress 1",   "ButtonPress 3",   "ButtonRelease 1", "ButtonPress 2",   "ButtonRelease 2",
        "ButtonRelease 3", "ButtonPress 8",   "ButtonPress 9",   "ButtonRelease 8", "ButtonRelease 9",
        "ButtonPress 5",   "ButtonRelease 5", "ButtonPress 5",   "ButtonRelease 5", "ButtonPress 4",
        "ButtonRelease 4", "ButtonPress 7",   "ButtonRelease 7", "ButtonPress 6",   "ButtonRelease 6",
        "ButtonPress 6",   "ButtonRelease 6"};
    EXPECT_EQ(root.wait_for(expected.size()), expected);
}

TEST_F(InputService, TextComesOutAsTypedOnTheUsLayoutAccentsEuroAndCyrillicToo) {
    const Terminal terminal(x_->display(), dir_);
    type(U"hello World 1!");
    tap(0xe9);   // eacute
    tap(0x20ac);  // EuroSign
    tap(0x6d6);   // Cyrillic_zhe
    tap(kReturn);
    EXPECT_EQ(terminal.text_when(utf8(U"hello World 1!é€ж\n")), utf8(U"hello World 1!é€ж\n"));
}

TEST_F(InputService, AKeysymTheViewerSendsUnshiftedComesOutUnshiftedThoughItHoldsShift) {
    const Terminal terminal(x_->display(), dir_);
    send(key(kShiftL, true));
    type(U"1Aaé€");
    send(key(kShiftL, false));
    type(U"b");
    tap(kReturn);
    EXPECT_EQ(terminal.text_when(utf8(U"1Aaé€b\n")), utf8(U"1Aaé€b\n"));
}

TEST_F(InputService, CapsLockAndNumLockOnTheServerDoNotChangeWhatComesOut) {
    const Terminal terminal(x_->display(), dir_);
    tap(kKeypad1);  // Num Lock off: the key with a 1 on it is an End, whatever Shift does
    tap(kCapsLock);
    tap(kNumLock);
    type(U"aB");
    tap(kKeypad1);  // Num Lock on: that key alone is a 1
    tap(kReturn);
    EXPECT_EQ(terminal.text_when("1aB1\n"), "1aB1\n");
}

TEST_F(InputService, AnotherLayoutOnTheServerIsFollowedAltGrIncluded) {
    const Terminal terminal(x_->display(), dir_);
    ASSERT_EQ(tool({"setxkbmap", "de"}).exit_code, 0);
    const std::string german = tool({"xmodmap", "-pke"}).out;
    // On the German layout y and z swap places, @ and € are AltGr+q and AltGr+e.
    type(U"zy@");
    tap(0x20ac);     // EuroSign, the layout's own keysym for it
    tap(0x10000df);  // ß as a Unicode keysym: the same as the layout's ssharp
    type(U"Z");
    tap(kReturn);
    EXPECT_EQ(terminal.text_when(utf8(U"zy@€ßZ\n")), utf8(U"zy@€ßZ\n"));
    EXPECT_EQ(tool({"xmodmap", "-pke"}).out, german) << "a key of the layout was bound instead of AltGr pressed";
}

TEST_F(InputService, TwoHundredCharactersOffTheLayoutReuseSpareKeycodesThatComeBackEmpty) {
    const std::string before = tool({"xmodmap", "-pke"}).out;
    ASSERT_FALSE(before.empty());
    {
        const Terminal terminal(x_->display(), dir_);
        std::string expected;
        // Ten to a line, each line seen before the next: a reused keycode is never
        // rebound while the terminal may still be reading the key it typed.
        for (char32_t line = 0; line < 20; ++line) {
            std::u32string text;
            for (char32_t i = 0; i < 10; ++i) text += static_cast<char32_t>(0x4e00 + line * 10 + i);
            type(text);
            tap(kReturn);
            expected += utf8(text) + "\n";
            ASSERT_EQ(terminal.text_when(expected), expected) << "line " << static_cast<int>(line);
        }
    }
    service_.reset();
    eventually([&] { return tool({"xmodmap", "-pke"}).out == before; });
    EXPECT_EQ(tool({"xmodmap", "-pke"}).out, before);
}

TEST_F(InputService, ASessionThatEndsLetsGoOfItsShiftAndItsButton) {
    const RootEvents root(x_->display(), dir_);
    send(key(kShiftL, true), 7);
    send(pointer(50, 50, TETHER_BUTTON_LEFT), 7);
    EXPECT_EQ(root.wait_for(2), (std::vector<std::string>{"KeyPress Shift_L", "ButtonPress 1"}));
    service_->session_ended(7);
    tap('a', 8);  // Shift is up: an a, not an A
    EXPECT_EQ(root.wait_for(6), (std::vector<std::string>{"KeyPress Shift_L", "ButtonPress 1", "KeyRelease Shift_L",
                                                          "ButtonRelease 1", "KeyPress a", "KeyRelease a"}));
}

// A host killed while a session held Shift and a button cannot let go of them; the next one does.
TEST_F(InputService, KeysAndButtonsLeftDownWhenAServiceStartsAreLetGo) {
    service_.reset();
    const RootEvents root(x_->display(), dir_);
    tool({"xdotool", "keydown", "Shift_L"});
    tool({"xdotool", "mousedown", "1"});
    EXPECT_EQ(root.wait_for(2), (std::vector<std::string>{"KeyPress Shift_L", "ButtonPress 1"}));
    service_ = std::make_unique<Service>(plugin(TETHER_KIND_SERVICE, "x11-input"));
    EXPECT_EQ(root.wait_for(4), (std::vector<std::string>{"KeyPress Shift_L", "ButtonPress 1", "KeyRelease Shift_L",
                                                          "ButtonRelease 1"}));
}

TEST_F(InputService, ASessionWithoutTheInputPermissionMovesAndTypesNothingAndIsWarnedAboutOnce) {
    const CapturedLog log;
    const RootEvents root(x_->display(), dir_);
    send(pointer(5, 5));
    ASSERT_EQ(pointer_location_when("5,5"), "5,5");
    send(pointer(300, 200, TETHER_BUTTON_LEFT), 9, TETHER_PERMISSION_VIEW);
    send(key('q', true), 9, TETHER_PERMISSION_VIEW);
    send(key('q', false), 9, TETHER_PERMISSION_VIEW);
    tap('a');  // after them on the same connection: seen, so they would have been too
    EXPECT_EQ(root.wait_for(2), (std::vector<std::string>{"KeyPress a", "KeyRelease a"}));
    EXPECT_EQ(pointer_location(), "5,5");
    EXPECT_EQ(occurrences(log.text(), "session 9 may not send input"), 1u);
}

TEST_F(InputService, MalformedEventsAreDroppedAndALongerOneFromANewerViewerIsTaken) {
    send_bytes({});
    const uint8_t three[3] = {1, 2, 3};
    send_bytes(three);
    tether_input_event unknown = pointer(1, 1);
    unknown.type = 99;
    send(unknown);
    tether_input_event cut = key('x', true);
    cut.struct_size = offsetof(tether_input_event, down);  // says it ends before `down`
    send(cut);
    tether_input_event short_pointer = pointer(200, 200);
    send_bytes({reinterpret_cast<const uint8_t*>(&short_pointer), offsetof(tether_input_event, wheel_y)});
    tap(0);           // NoSymbol
    tap(0xffffffff);  // no keysym at all
    for (uint32_t keysym = 0x1001000; keysym < 0x1001000 + 100; ++keysym) send(key(keysym, true));  // never let go
    send(pointer(7, 7, 0xffffffe0));  // buttons no viewer has

    std::vector<uint8_t> longer(sizeof(tether_input_event) + 16, 0xee);
    tether_input_event move = pointer(77, 66);
    move.struct_size = static_cast<uint32_t>(longer.size());
    std::memcpy(longer.data(), &move, sizeof move);
    send_bytes(longer);
    EXPECT_EQ(pointer_location_when("77,66"), "77,66");
}

TEST_F(InputService, TheDisplaySettingIsCheckedAndAMissingDisplayIsUnavailableByName) {
    const Factory& factory = plugin(TETHER_KIND_SERVICE, "x11-input");
    ASSERT_NE(factory.check_setting, nullptr);
    char text[256] = {};
    tether_error why{text, sizeof text};
    EXPECT_EQ(factory.check_setting("display", ":1", &why), TETHER_OK);
    EXPECT_EQ(factory.check_setting("display", "localhost:2.0", &why), TETHER_OK);
    EXPECT_EQ(factory.check_setting("display", "not a display", &why), TETHER_ERROR);
    EXPECT_STREQ(text, "must name an X display, such as \":1\"");
    EXPECT_EQ(factory.check_setting("screen", ":1", &why), TETHER_ERROR);
    EXPECT_STREQ(text, "is not a setting of x11-input (display)");

    EXPECT_TRUE(probe(factory).ok);
    set_plugin_settings({{"x11-input", {{"display", ":9999"}}}});
    const ProbeResult missing = probe(factory);
    EXPECT_FALSE(missing.ok);
    EXPECT_NE(missing.reason.find("cannot open X display :9999"), std::string::npos) << missing.reason;
    try {
        Service service(factory);
        FAIL() << "a service on a display that does not exist";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("cannot open X display :9999"), std::string::npos) << e.what();
    }
}

TEST_F(InputService, AServerWithoutXtestIsUnavailableByName) {
    const Xvfb plain(64, 64, {"-extension", "XTEST"});
    set_plugin_settings({{"x11-input", {{"display", plain.display()}}}});
    const ProbeResult probed = probe(plugin(TETHER_KIND_SERVICE, "x11-input"));
    EXPECT_FALSE(probed.ok);
    EXPECT_NE(probed.reason.find("the X server at " + plain.display() + " has no XTEST extension"), std::string::npos)
        << probed.reason;
}

TEST_F(InputService, ABrokenConnectionDropsInputAndSaysSoOnce) {
    const CapturedLog log;
    x_.reset();  // the X server goes away under the service
    for (int i = 0; i < 3; ++i) {
        send(pointer(1, 1, TETHER_BUTTON_LEFT));
        send(key('a', true));
    }
    service_->session_ended(kSession);
    EXPECT_EQ(occurrences(log.text(), "broke: input is dropped"), 1u);
}

}  // namespace
}  // namespace tether::test
