// Which strangers a host lets wait for login: the rule alone, then a real
// host holding to it over real sockets while a logged-in viewer goes on.
#include "build_parts.h"
#include "raw_session.h"
#include "session/admission.h"
#include "tcp_proxy.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

std::vector<WaitingLogin> waiting(const std::vector<std::string>& sources) {
    std::vector<WaitingLogin> w;
    for (size_t i = 0; i < sources.size(); ++i) w.push_back({i, sources[i], false});
    return w;
}

TEST(Admission, AdmitsWithinBothLimits) {
    const auto a = admit(waiting({"1.1.1.1", "2.2.2.2"}), {0, "1.1.1.1"}, {4, 2});
    EXPECT_TRUE(a.admitted);
    EXPECT_FALSE(a.evict);
}

TEST(Admission, RefusesASourceAtItsOwnLimit) {
    const auto a = admit(waiting({"1.1.1.1", "1.1.1.1"}), {0, "1.1.1.1"}, {100, 2});
    EXPECT_FALSE(a.admitted);
    EXPECT_EQ(a.refusal, "too many connections from 1.1.1.1 waiting to log in (2)");
}

TEST(Admission, WhenFullAQuieterSourceTakesTheBusiestOnesOldestPlace) {
    // Full at 4: the busiest source holds 3, the oldest of them is id 1.
    const auto w = waiting({"2.2.2.2", "1.1.1.1", "1.1.1.1", "1.1.1.1"});
    const auto newcomer = admit(w, {0, "9.9.9.9"}, {4, 8});
    EXPECT_TRUE(newcomer.admitted);
    EXPECT_EQ(newcomer.evict, 1u);
    const auto from_the_quiet_one = admit(w, {0, "2.2.2.2"}, {4, 8});
    EXPECT_TRUE(from_the_quiet_one.admitted);
    EXPECT_EQ(from_the_quiet_one.evict, 1u);
    // The busiest source cannot push out its own or anyone else's.
    const auto from_the_busiest = admit(w, {0, "1.1.1.1"}, {4, 8});
    EXPECT_FALSE(from_the_busiest.admitted);
    EXPECT_EQ(from_the_busiest.refusal, "too many connections waiting to log in (4)");
}

TEST(Admission, WhenEverySourceHoldsOneNewcomersReplaceTheOldest) {
    const auto a = admit(waiting({"1.1.1.1", "2.2.2.2", "3.3.3.3"}), {0, "4.4.4.4"}, {3, 8});
    EXPECT_TRUE(a.admitted);
    EXPECT_EQ(a.evict, 0u);
    EXPECT_FALSE(admit(waiting({"1.1.1.1", "2.2.2.2", "3.3.3.3"}), {0, "1.1.1.1"}, {3, 8}).admitted);
}

TEST(Admission, OnlyStrangersMakeRoomAndAKnownSourceAlwaysGetsIn) {
    // Full at 3, every source holding one: the known login (id 0) is the oldest.
    std::vector<WaitingLogin> w{{0, "1.1.1.1", true}, {1, "2.2.2.2", false}, {2, "3.3.3.3", false}};
    const auto stranger = admit(w, {0, "4.4.4.4", false}, {3, 8});
    EXPECT_TRUE(stranger.admitted);
    EXPECT_EQ(stranger.evict, 1u);  // the oldest stranger, never the known login
    const auto known = admit(w, {0, "5.5.5.5", true}, {3, 8});
    EXPECT_TRUE(known.admitted);
    EXPECT_EQ(known.evict, 1u);
    // Only known logins waiting: nobody's place can be taken.
    w[1].known = w[2].known = true;
    EXPECT_FALSE(admit(w, {0, "4.4.4.4", false}, {3, 8}).admitted);
    EXPECT_FALSE(admit(w, {0, "5.5.5.5", true}, {3, 8}).admitted);
}

class HostAdmission : public ::testing::Test {
protected:
    ResumeTickets tickets{std::chrono::seconds(30)};  // outlives the host's sessions
    std::optional<test::TestHost> host;  // made once SetUp() knows the build has its plugins

    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        // At a live desktop's pace, so the viewer never falls behind on its own.
        host.emplace(test::synthetic_video("vp9", 160, 120, Pacing::RealTime));
        host->context.limits.pending_logins = 4;
        host->context.limits.pending_logins_per_source = 2;
    }

    static test::PeerOptions from(const std::string& source) { return {.source = source, .receive_buffer = 0}; }
};

TEST_F(HostAdmission, ABusySourceIsTurnedAwayAtOnceAndOthersStillGetIn) {
    test::RawPeer a(host->server.address(), from("127.0.6.1"));
    test::RawPeer b(host->server.address(), from("127.0.6.1"));
    std::this_thread::sleep_for(200ms);  // both accepted, waiting
    test::RawPeer c(host->server.address(), from("127.0.6.1"));
    EXPECT_TRUE(c.wait_closed(2s));  // closed at once, not at the login timeout
    test::RawSession other(host->server.address(), from("127.0.6.2"));
    EXPECT_TRUE(other.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
}

TEST_F(HostAdmission, WhenFullANewSourceGetsInAndALoggedInViewerIsNeverTouched) {
    auto viewer = host->viewer(test::view_only("vp9"));
    host->video.start();
    std::vector<std::unique_ptr<test::RawPeer>> flood;
    for (const char* s : {"127.0.7.1", "127.0.7.1", "127.0.7.2", "127.0.7.2"})
        flood.push_back(std::make_unique<test::RawPeer>(host->server.address(), from(s)));
    std::this_thread::sleep_for(200ms);
    // Full with 4 waiting: a fifth source still logs in, in place of one of theirs.
    test::RawSession newcomer(host->server.address(), from("127.0.7.3"));
    EXPECT_TRUE(newcomer.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    size_t closed = 0;
    for (const auto& peer : flood)
        if (peer->wait_closed(300ms)) ++closed;
    EXPECT_EQ(closed, 1u);
    EXPECT_FALSE(viewer->ended());
    const uint64_t frames = viewer->report().frames;
    std::this_thread::sleep_for(300ms);
    EXPECT_GT(viewer->report().frames, frames);  // still watching
    host->video.stop();
}

TEST_F(HostAdmission, AFloodOfStrangersNeverCutsShortTheLoginOfASourceThatLoggedInBefore) {
    // The user's address logged in before.
    {
        test::RawSession earlier(host->server.address(), from("127.0.10.1"));
        ASSERT_TRUE(earlier.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    }
    test::RawSession user(host->server.address(), from("127.0.10.1"));  // the oldest waiting connection
    // Strangers from many addresses, one connection each, keep the host full.
    std::vector<std::unique_ptr<test::RawPeer>> flood;
    for (int i = 1; i <= 20; ++i)
        flood.push_back(std::make_unique<test::RawPeer>(host->server.address(),
                                                        from("127.0.11." + std::to_string(i))));
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(user.log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    size_t closed = 0;
    for (const auto& peer : flood)
        if (peer->wait_closed(300ms)) ++closed;
    EXPECT_GE(closed, 16u);  // the strangers made room for each other
}

TEST_F(HostAdmission, AFullHostRefusesALoginBeforeItsPasswordIsCheckedAndTakesOneOnceASessionEnds) {
    host->context.limits.max_sessions = 2;
    const std::string password = host->authenticator.one_time_password();
    test::RawSession first(host->server.address(), from("127.0.12.1"));
    ASSERT_TRUE(first.log_in(password, kView, {"vp9"}).ok());
    auto second = std::make_unique<test::RawSession>(host->server.address(), from("127.0.12.2"));
    ASSERT_TRUE(second->log_in(host->authenticator.one_time_password(), kView, {"vp9"}).ok());
    // A wrong password is told the host is full, not that it is wrong: no password was checked.
    const std::string unspent = host->authenticator.one_time_password();
    for (const std::string& tried : {std::string("a wrong password"), unspent}) {
        test::RawSession third(host->server.address(), from("127.0.12.3"));
        const auto refused = third.log_in(tried, kView, {"vp9"});
        EXPECT_FALSE(refused.ok());
        EXPECT_NE(refused.reason().find("takes 2 session(s) at once"), std::string::npos) << refused.reason();
        EXPECT_GT(refused.retry_after_ms(), 0u);
    }
    second.reset();  // its viewer leaves
    for (int i = 0; i < 500 && host->context.logged_in > 1; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(host->context.logged_in, 1u);
    // The one-time password the full host turned away was not spent.
    test::RawSession third(host->server.address(), from("127.0.12.3"));
    EXPECT_TRUE(third.log_in(unspent, kView, {"vp9"}).ok());
}

// A viewer whose path dropped may resume within its window: its place waits for it, and a login
// meanwhile is refused, so that dropping and resuming cannot take a host past its limit.
TEST_F(HostAdmission, APlaceWaitsForAViewerWhosePathDroppedAndItsResumeTakesIt) {
    host->context.limits.max_sessions = 2;
    host->context.resume_tickets = &tickets;
    host->video.start();
    auto direct = host->viewer(test::view_only("vp9"));
    test::wait_for_frames(*direct, 5, 30s);
    auto path = std::make_unique<test::TcpProxy>(host->server.address());
    auto dropping = host->viewer(test::view_only("vp9"), {}, path->address());
    test::wait_for_frames(*dropping, 5, 30s);
    ASSERT_GT(dropping->resume_window().count(), 0);
    path.reset();  // the path drops
    for (int i = 0; i < 1000 && (!dropping->path_lost() || host->context.logged_in > 1); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(dropping->path_lost()) << dropping->report().end_reason;
    ASSERT_EQ(host->context.logged_in, 1u);

    const std::string password = host->authenticator.one_time_password();
    test::RawSession newcomer(host->server.address(), from("127.0.13.1"));
    const auto refused = newcomer.log_in(password, kView, {"vp9"});
    EXPECT_FALSE(refused.ok());
    EXPECT_NE(refused.reason().find("takes 2 session(s) at once"), std::string::npos) << refused.reason();

    auto transport = Transport::create(test::plugin(TETHER_KIND_TRANSPORT, "tcp"));
    ASSERT_TRUE(dropping->resume(net::SecureChannel::connect(transport->connect(host->server.address(), 5s),
                                                             [&](const std::string&, const security::PublicKey& key) {
                                                                 if (key != host->identity.public_key)
                                                                     throw net::HandshakeError("not our host");
                                                             })));
    const uint64_t frames = dropping->report().frames;
    test::wait_for_frames(*dropping, frames + 5, 30s);
    EXPECT_GE(dropping->report().frames, frames + 5) << dropping->report().end_reason;
    EXPECT_EQ(host->context.logged_in, 2u);
    test::RawSession later(host->server.address(), from("127.0.13.2"));
    EXPECT_FALSE(later.log_in(password, kView, {"vp9"}).ok());
    host->video.stop();
    direct->stop("test done");
    dropping->stop("test done");
}

TEST_F(HostAdmission, ConnectionsThatDoNotLogInInTimeAreClosed) {
    host->context.limits.login_timeout = 1s;
    test::RawPeer silent(host->server.address(), from("127.0.8.1"));
    test::RawSession no_login(host->server.address(), from("127.0.8.2"));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(silent.wait_closed(5s));
    EXPECT_TRUE(no_login.peer.wait_closed(5s));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
    const auto ended = host->ended_sessions(2, 5s);
    ASSERT_EQ(ended.size(), 2u);
    for (const auto& e : ended) EXPECT_EQ(e.end_reason, "no login within 1 s");
}

TEST_F(HostAdmission, BeforeLoginOnlyMessagesOfTheirRealSizeAreRead) {
    // Before the handshake: a hello is at most 4 KiB.
    test::RawPeer early(host->server.address(), from("127.0.9.1"));
    early.send_length(16u << 20);
    EXPECT_TRUE(early.wait_closed(5s));
    // After it, until login: a greeting is at most 16 KiB (plus the record's 18 bytes).
    test::RawSession greeting(host->server.address(), from("127.0.9.2"));
    greeting.peer.send_length(1u << 20);
    EXPECT_TRUE(greeting.peer.wait_closed(5s));
    const auto ended = host->ended_sessions(2, 5s);
    ASSERT_EQ(ended.size(), 2u);
    std::vector<std::string> reasons{ended[0].end_reason, ended[1].end_reason};
    std::sort(reasons.begin(), reasons.end());
    EXPECT_EQ(reasons[0], "message too large (1048576 bytes > 16402)");
    EXPECT_EQ(reasons[1], "message too large (16777216 bytes > 4096)");
}

}  // namespace
}  // namespace tether::session
