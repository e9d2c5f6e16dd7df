// Services as the host runs them: what a viewer sends reaches them with its
// session and permissions, only when the session may send it; what they
// publish reaches the viewers that may have it; a session's end follows its
// last message. The same service source built against the frozen 1.0 header
// still receives, without sessions.
#include "../plugins/abi_service_record.h"
#include "build_parts.h"
#include "raw_session.h"
#include "session/permissions.h"
#include "session/protocol.h"
#include "session/service_host.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstring>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

using Received = abi_service_record;

// The plugin's own record, read through its plugin-wide extension (the library is loaded already).
Received& record_of(const Factory& factory) {
    void* library = dlopen(factory.plugin_file().c_str(), RTLD_NOW | RTLD_NOLOAD);
    EXPECT_NE(library, nullptr);
    auto entry = reinterpret_cast<tether_plugin_entry_fn>(dlsym(library, TETHER_ENTRY_SYMBOL));
    auto* record = static_cast<Received*>(const_cast<void*>(entry()->get_extension("tether.test.service/1")));
    dlclose(library);  // the registry keeps it loaded
    return *record;
}

// Until `done` holds for the record (read under its lock) or 10 s pass.
bool wait_for(Received& record, const std::function<bool(const Received&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        pthread_mutex_lock(&record.mutex);
        const bool ok = done(record);
        pthread_mutex_unlock(&record.mutex);
        if (ok || std::chrono::steady_clock::now() >= deadline) return ok;
        std::this_thread::sleep_for(10ms);
    }
}

proto::SessionMessage key(uint32_t keysym) {
    proto::SessionMessage m;
    m.mutable_input()->mutable_key()->set_keysym(keysym);
    m.mutable_input()->mutable_key()->set_down(true);
    return m;
}

proto::SessionMessage clipboard(const std::string& text) {
    proto::SessionMessage m;
    m.mutable_clipboard()->set_text(text);
    return m;
}

// The next clipboard text the host sends this session, skipping anything else.
std::optional<std::string> next_clipboard(test::RawSession& s, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto m = s.receive(100ms);
        if (m && m->has_clipboard()) return m->clipboard().text();
    }
    return std::nullopt;
}

class ServiceRouting : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        host.emplace(test::synthetic_video("vp9", 160, 120));
    }
    std::unique_ptr<test::RawSession> logged_in(uint32_t permissions) {
        auto s = std::make_unique<test::RawSession>(host->server.address());
        EXPECT_TRUE(s->log_in(host->authenticator.one_time_password(), permissions, {"vp9"}).ok());
        return s;
    }
    std::optional<test::TestHost> host;
};

TEST_F(ServiceRouting, AServiceOfTodaysMinorGetsSessionsAndPermissionsAndAnswersTheSessionItHeard) {
    const Factory& factory = test::test_plugin("service-abi-current", TETHER_KIND_SERVICE, "abi-current");
    Received& record = record_of(factory);
    // The record is the library's: what an earlier test in this process left counts from here.
    const unsigned before = record.messages;
    const unsigned ended_before = record.ended;
    ServiceHost services(host->bus, {&factory}, [this](const ServiceOutput& o) { host->server.send_to_sessions(o); });
    ASSERT_EQ(services.running(), std::vector<std::string>{"abi-current"});

    auto typist = logged_in(kInput | kClipboard);
    typist->send(key(0x61));
    ASSERT_TRUE(wait_for(record, [&](const Received& r) { return r.messages == before + 1; }));
    EXPECT_STREQ(record.last_topic, "input");
    EXPECT_EQ(record.last_size, sizeof(tether_input_event));
    EXPECT_EQ(record.last_permissions, static_cast<uint32_t>(kInput | kClipboard));
    const uint64_t typist_session = record.last_session;
    EXPECT_NE(typist_session, 0u);

    // A session without the clipboard permission: its text never reaches the service,
    // and the text the service sends back to the typist reaches the typist alone.
    auto watcher = logged_in(kInput);
    watcher->send(clipboard("not allowed"));
    typist->send(clipboard("héllo ж €"));
    EXPECT_EQ(next_clipboard(*typist, 10s), "héllo ж €");
    EXPECT_EQ(record.messages, before + 2);
    EXPECT_STREQ(record.last_topic, "clipboard");
    EXPECT_EQ(record.last_session, typist_session);
    EXPECT_FALSE(next_clipboard(*watcher, 300ms));

    // The typist leaves: the service hears of it after its last message.
    typist->send(key(0x62));
    typist.reset();
    ASSERT_TRUE(wait_for(record, [&](const Received& r) { return r.ended > ended_before; }));
    EXPECT_EQ(record.last_ended, typist_session);
    EXPECT_EQ(record.messages, before + 3);
}

TEST_F(ServiceRouting, AServiceBuiltAgainstTheFrozen10HeaderStillReceives) {
    const Factory& factory = test::test_plugin("service-abi-1-0", TETHER_KIND_SERVICE, "abi-1.0");
    EXPECT_EQ(factory.abi_version(), TETHER_ABI_VERSION(1, 0));
    Received& record = record_of(factory);
    ServiceHost services(host->bus, {&factory}, [this](const ServiceOutput& o) { host->server.send_to_sessions(o); });
    auto typist = logged_in(kInput);
    typist->send(key(0x61));
    ASSERT_TRUE(wait_for(record, [](const Received& r) { return r.messages == 1; }));
    EXPECT_STREQ(record.last_topic, "input");
    EXPECT_EQ(record.last_session, 0u);  // 1.0 knows no sessions
    typist.reset();
    EXPECT_EQ(record.ended, 0u);
}

TEST(ServiceOutputs, OnlyClipboardTextWithinItsLimitAndInUtf8GoesToSessions) {
    EXPECT_EQ(refuse_service_output({"clipboard", {'h', 'i'}, 0}), "");
    EXPECT_EQ(refuse_service_output({"clipboard.primary", {}, 7}), "");
    EXPECT_NE(refuse_service_output({"input", {}, 0}), "");
    EXPECT_NE(refuse_service_output({"clipboard", {0xC3, 0x28}, 0}), "");  // not UTF-8
    EXPECT_NE(refuse_service_output({"clipboard", std::vector<uint8_t>(kMaxClipboardBytes + 1, 'a'), 0}), "");
}

}  // namespace
}  // namespace tether::session
