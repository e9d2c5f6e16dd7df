// service-clipboard on a real X server (Xvfb), judged by xclip: what a user
// copies on the host is published to the viewers, and what a viewer sends is
// what the host's applications paste.
#include "child_process.h"
#include "core/host_api.h"
#include "core/plugin_objects.h"
#include "core/plugin_registry.h"
#include "process.h"
#include "temp_dir.h"
#include "xvfb.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <ostream>
#include <mutex>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto deadline = 20s;  // for what the service does on its own thread; met in milliseconds when all is well
constexpr uint32_t viewer = TETHER_PERMISSION_VIEW | TETHER_PERMISSION_CLIPBOARD;
constexpr uint32_t no_clipboard = TETHER_PERMISSION_VIEW | TETHER_PERMISSION_INPUT;

const Factory& clipboard_factory() {
    static const auto registry = [] {
        auto loaded = std::make_unique<PluginRegistry>();
        loaded->load_search_path(plugin_search_path({}));
        return loaded;
    }();
    if (const Factory* f = registry->find(TETHER_KIND_SERVICE, "x11-clipboard")) return *f;
    std::string why = "no service 'x11-clipboard' on the search path";
    for (const auto& failure : registry->failures()) why += "; " + failure.file.string() + ": " + failure.reason;
    throw std::runtime_error(why);
}

struct Message {
    std::string topic;
    std::string text;
    uint64_t session;
    bool operator==(const Message&) const = default;
    friend std::ostream& operator<<(std::ostream& out, const Message& m) {
        return out << m.topic << " to session " << m.session << ": \"" << m.text.substr(0, 80) << "\" ("
                   << m.text.size() << " bytes)";
    }
};

// What the service publishes, taken as the host takes it.
class Published {
public:
    Published() {
        set_service_publisher([this](const tether_service_message& m, std::string&) {
            const std::lock_guard lock(mutex_);
            messages_.push_back({m.topic, std::string(reinterpret_cast<const char*>(m.data), m.size), m.session});
            arrived_.notify_all();
            return static_cast<int>(TETHER_OK);
        });
    }
    ~Published() { set_service_publisher({}); }

    // The messages once `count` have come, or those that came by the deadline.
    std::vector<Message> wait_for(size_t count) {
        std::unique_lock lock(mutex_);
        arrived_.wait_for(lock, deadline, [&] { return messages_.size() >= count; });
        return messages_;
    }

private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<Message> messages_;
};

// The log lines written while it lives.
class CapturedLog {
public:
    CapturedLog() : previous_(spdlog::default_logger()) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }

    size_t count(const std::string& part) const {
        const auto lines = sink_->last_formatted();
        return static_cast<size_t>(
            std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != l.npos; }));
    }
    bool wait_for(const std::string& part) const {
        for (const auto end = Clock::now() + deadline; Clock::now() < end; std::this_thread::sleep_for(10ms))
            if (count(part) > 0) return true;
        return false;
    }

private:
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
    std::shared_ptr<spdlog::logger> previous_;
};

class ClipboardService : public ::testing::Test {
protected:
    ~ClipboardService() override { set_plugin_settings({}); }

    std::unique_ptr<Service> start(std::map<std::string, std::string> settings = {}) {
        settings.emplace("display", x_->display());
        set_plugin_settings({{"x11-clipboard", settings}});
        return std::make_unique<Service>(clipboard_factory());
    }

    // `bytes` copied as a user's tool copies them: xclip owns the selection,
    // in the foreground, until another client takes it or it has answered `loops` requests.
    std::unique_ptr<ChildProcess> copy(const std::string& selection, const std::string& bytes,
                                       const std::string& target = "UTF8_STRING", int loops = 0) {
        const auto file = files_.write("copied-" + std::to_string(++copies_), bytes);
        std::vector<std::string> argv{"xclip", "-display", x_->display(), "-selection", selection, "-t", target,
                                      "-quiet", file.string()};
        if (loops > 0) argv.insert(argv.end() - 1, {"-loops", std::to_string(loops)});
        return std::make_unique<ChildProcess>(argv);
    }

    // `bytes` copied, and read by the service: xclip has answered its one request.
    void copy_and_wait_until_read(const std::string& selection, const std::string& bytes) {
        const auto xclip = copy(selection, bytes, "UTF8_STRING", 1);
        ASSERT_EQ(xclip->wait_exit(deadline), 0) << xclip->stderr_text();
    }

    CommandResult paste(const std::string& selection, const std::string& target = "UTF8_STRING") const {
        return run_command({"xclip", "-display", x_->display(), "-selection", selection, "-t", target, "-o"}, deadline);
    }

    // What xclip pastes once it pastes `expected`, or the last it pasted at the deadline.
    std::string paste_until(const std::string& selection, const std::string& expected) const {
        std::string pasted;
        for (const auto end = Clock::now() + deadline; Clock::now() < end; std::this_thread::sleep_for(10ms)) {
            pasted = paste(selection).out;
            if (pasted == expected) break;
        }
        return pasted;
    }

    static void deliver(Service& service, const std::string& topic, const std::string& text,
                        uint32_t permissions = viewer, uint64_t session = 7) {
        service.deliver(topic, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, session, permissions);
    }

    // Asserts that CLIPBOARD still holds `expected`: a text then sent for PRIMARY
    // (primary = true) takes the same way as any sent before it, so once xclip
    // pastes that, whatever came before would have been taken too.
    void expect_clipboard_still(Service& service, const std::string& expected) {
        deliver(service, "clipboard.primary", "marker");
        ASSERT_EQ(paste_until("primary", "marker"), "marker");
        EXPECT_EQ(paste("clipboard").out, expected);
    }

    std::unique_ptr<Xvfb> x_ = std::make_unique<Xvfb>(320, 240);
    TempDir files_;
    int copies_ = 0;
    CapturedLog log_;
    Published published_;
};

// Bytes of many-byte characters, `size` long.
std::string long_text(size_t size) {
    std::string text;
    for (size_t i = 0; text.size() + 16 <= size; ++i) text += "ж€ line " + std::to_string(i % 1000) + "\n";
    return text.append(size - text.size(), 'x');
}

TEST_F(ClipboardService, AHostCopyIsPublishedOnceAndTheSameTextAgainIsNotResent) {
    auto service = start();
    const std::string text = "héllo ж €";
    const auto holder = copy("clipboard", text);
    EXPECT_EQ(published_.wait_for(1), (std::vector<Message>{{"clipboard", text, 0}}));

    copy_and_wait_until_read("clipboard", text);  // the same text again: the viewers have it
    const auto next = copy("clipboard", "next");
    EXPECT_EQ(published_.wait_for(2), (std::vector<Message>{{"clipboard", text, 0}, {"clipboard", "next", 0}}));

    const auto stop_started = Clock::now();
    service.reset();
    EXPECT_LT(Clock::now() - stop_started, 5s) << "destroy waits for the thread's next event";
}

TEST_F(ClipboardService, AViewersTextIsWhatTheHostPastesAndIsNotPublishedBack) {
    auto service = start();
    deliver(*service, "clipboard", "from the viewer: ü ж €");
    EXPECT_EQ(paste_until("clipboard", "from the viewer: ü ж €"), "from the viewer: ü ж €");
    // Copied back on the host, the viewer's own text is not news; a new one is.
    copy_and_wait_until_read("clipboard", "from the viewer: ü ж €");
    const auto holder = copy("clipboard", "new on the host");
    EXPECT_EQ(published_.wait_for(1), (std::vector<Message>{{"clipboard", "new on the host", 0}}));
}

TEST_F(ClipboardService, LargeTextsCrossByteForByteBothWays) {
    auto service = start({{"max_bytes", "4194304"}});
    const std::string to_host = long_text(300 * 1024);  // over the core request limit: INCR
    deliver(*service, "clipboard", to_host);
    const std::string pasted = paste_until("clipboard", to_host);
    EXPECT_EQ(pasted.size(), to_host.size());
    EXPECT_TRUE(pasted == to_host);

    const std::string to_viewers = long_text(3 * 1024 * 1024 / 2 + 7);  // xclip sends INCR past 1 MiB
    const auto holder = copy("clipboard", to_viewers);
    const auto messages = published_.wait_for(1);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0].text.size(), to_viewers.size());
    EXPECT_TRUE(messages[0].text == to_viewers);
}

TEST_F(ClipboardService, ATextIsOfferedAsUtf8AndAsLatin1OnlyWhereItCanBe) {
    auto service = start();
    deliver(*service, "clipboard", "café");
    ASSERT_EQ(paste_until("clipboard", "café"), "café");
    EXPECT_EQ(paste("clipboard", "STRING").out, "caf\xe9");
    EXPECT_EQ(paste("clipboard", "text/plain;charset=utf-8").out, "café");
    EXPECT_EQ(paste("clipboard", "TEXT").out, "café");
    const std::string targets = paste("clipboard", "TARGETS").out;
    for (const char* target : {"TARGETS", "UTF8_STRING", "STRING", "TEXT", "text/plain;charset=utf-8"})
        EXPECT_NE(targets.find(target), std::string::npos) << target << " in " << targets;

    deliver(*service, "clipboard", "ж");
    ASSERT_EQ(paste_until("clipboard", "ж"), "ж");
    EXPECT_NE(paste("clipboard", "STRING").exit_code, 0) << "no Latin-1 for ж";
}

TEST_F(ClipboardService, PrimaryIsSharedBothWaysWhenAskedFor) {
    auto service = start({{"primary", "true"}});
    const auto holder = copy("primary", "selected on the host");
    EXPECT_EQ(published_.wait_for(1), (std::vector<Message>{{"clipboard.primary", "selected on the host", 0}}));
    const std::string big = long_text(300 * 1024);
    deliver(*service, "clipboard.primary", big);
    EXPECT_TRUE(paste_until("primary", big) == big);
}

TEST_F(ClipboardService, PrimaryIsLeftAloneByDefault) {
    auto service = start();
    const auto holder = copy("primary", "selected");
    ASSERT_EQ(paste_until("primary", "selected"), "selected");
    deliver(*service, "clipboard.primary", "from a viewer");
    const auto marker = copy("clipboard", "copied");
    EXPECT_EQ(published_.wait_for(1), (std::vector<Message>{{"clipboard", "copied", 0}}));
    EXPECT_EQ(paste("primary").out, "selected");
}

TEST_F(ClipboardService, WithoutTheClipboardPermissionTheSelectionDoesNotChange) {
    auto service = start({{"primary", "true"}});
    const auto holder = copy("clipboard", "the host's own");
    ASSERT_EQ(published_.wait_for(1).size(), 1u);
    deliver(*service, "clipboard", "not allowed", no_clipboard, 9);
    deliver(*service, "clipboard", "not allowed either", no_clipboard, 9);
    expect_clipboard_still(*service, "the host's own");
    EXPECT_EQ(log_.count("session 9 may not use the clipboard"), 1u) << "one warning per session";
}

TEST_F(ClipboardService, ATextOverMaxBytesIsNeitherPublishedNorTakenAndTheLogSaysSo) {
    auto service = start({{"primary", "true"}, {"max_bytes", "1000"}});
    copy_and_wait_until_read("clipboard", std::string(2000, 'a'));
    const auto holder = copy("clipboard", "small");
    EXPECT_EQ(published_.wait_for(1), (std::vector<Message>{{"clipboard", "small", 0}}));
    EXPECT_EQ(log_.count("the host's CLIPBOARD text is 2000 bytes, over the limit of 1000 bytes"), 1u);

    deliver(*service, "clipboard", std::string(1001, 'b'));
    expect_clipboard_still(*service, "small");
    EXPECT_EQ(log_.count("a viewer's clipboard text is 1001 bytes, over the limit of 1000 bytes"), 1u);
    deliver(*service, "clipboard", "");  // empty is a text like any other
    EXPECT_EQ(paste_until("clipboard", ""), "");
}

TEST_F(ClipboardService, LatinOneAndBrokenUtf8FromAnXClientArriveAsValidUtf8) {
    auto service = start();
    const auto latin1 = copy("clipboard", "caf\xe9", "STRING");
    EXPECT_EQ(published_.wait_for(1), (std::vector<Message>{{"clipboard", "café", 0}}));
    const auto broken = copy("clipboard", "ok\xff\xc3(\xed\xa0\x80");
    EXPECT_EQ(published_.wait_for(2).back().text, "ok\uFFFD\uFFFD(\uFFFD\uFFFD\uFFFD");
}

TEST_F(ClipboardService, BrokenUtf8FromAViewerIsRepairedBeforeTheHostSeesIt) {
    auto service = start();
    deliver(*service, "clipboard", "ok\xff\xc0\xaf end");  // a stray byte and an overlong '/'
    EXPECT_EQ(paste_until("clipboard", "ok\uFFFD\uFFFD\uFFFD end"), "ok\uFFFD\uFFFD\uFFFD end");
}

TEST_F(ClipboardService, ALostXServerIsLoggedOnceAndTheServiceStillStops) {
    auto service = start();
    x_.reset();
    EXPECT_TRUE(log_.wait_for("lost the connection to X display"));
    deliver(*service, "clipboard", "after the server went");
    service.reset();
    EXPECT_EQ(log_.count("lost the connection to X display"), 1u);
}

TEST_F(ClipboardService, SettingsAreCheckedAndAMissingDisplayIsNamed) {
    const Factory& factory = clipboard_factory();
    ASSERT_NE(factory.check_setting, nullptr);
    char text[256];
    tether_error why{text, sizeof text};
    for (const auto& [key, value] : {std::pair{"max_bytes", "1"}, {"max_bytes", "16777216"}, {"primary", "true"},
                                     {"primary", "false"}, {"display", ":1"}})
        EXPECT_EQ(factory.check_setting(key, value, &why), TETHER_OK) << key << " = " << value;
    for (const auto& [key, value] : {std::pair{"max_bytes", "0"}, {"max_bytes", "16777217"}, {"max_bytes", "1k"},
                                     {"primary", "yes"}, {"display", ""}, {"colour", "red"}})
        EXPECT_EQ(factory.check_setting(key, value, &why), TETHER_ERROR) << key << " = " << value;

    set_plugin_settings({{"x11-clipboard", {{"display", ":9999"}}}});
    EXPECT_EQ(factory.table<tether_service_vtable>().probe(factory.host(), &why), TETHER_UNAVAILABLE);
    EXPECT_STREQ(text, "cannot open X display :9999");
}

}  // namespace
}  // namespace tether::test
