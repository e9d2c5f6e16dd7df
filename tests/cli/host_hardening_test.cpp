// `tether host` as a stranger on the network would attack it, and as a
// demanding user would stress it: real processes, real sockets from many
// source addresses (all of 127.0.0.0/8 is loopback), the host's threads and
// memory read from /proc. None of it wedges the host, slows a real viewer or
// keeps the host from stopping within a second of SIGTERM.
#include "build_parts.h"
#include "raw_session.h"
#include "running_host.h"
#include "security/data_dir.h"
#include "security/password_store.h"
#include "session/permissions.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
// Shutdown joins a handful of threads; under the sanitizers each step is several times slower.
constexpr auto kStopWithin = kSanitized ? 3s : 1s;

// Samples a process's threads and memory until stopped: the most of each it saw.
class UsageWatch {
public:
    explicit UsageWatch(pid_t pid)
        : thread_([this, pid] {
              while (!stop_) {
                  const ProcessUsage u = usage_of(pid);
                  threads_ = std::max(threads_.load(), u.threads);
                  rss_kib_ = std::max(rss_kib_.load(), u.rss_kib);
                  std::this_thread::sleep_for(20ms);
              }
          }) {}
    ~UsageWatch() {
        stop_ = true;
        thread_.join();
    }
    long most_threads() const { return threads_; }
    long most_rss_kib() const { return rss_kib_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<long> threads_{0};
    std::atomic<long> rss_kib_{0};
    std::thread thread_;
};

// "127.0.<block>.<n>" for the n-th of many sources.
std::string source(int block, int n) { return "127." + std::to_string(block) + "." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1); }

TEST(HostHardening, TwelveClientsLoggingInAndOutAHundredTimesNeverWedgeTheHost) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir);
    const std::string permanent = "twelve clients at once";
    security::PasswordStore(security::ensure_data_dir(dir.path() / "host") / "password").set(permanent);
    // A real viewer, before and after: its address logged in before the attack, as a user's would have.
    auto real_viewer_logs_in = [&] {
        const auto r = run_command(connect_argv(dir, host.address, permanent, "1"), 60s, host.environment());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(summary_of(r)["logged_in"].get<bool>());
    };
    real_viewer_logs_in();

    std::atomic<int> logged_in{0};
    std::atomic<int> refused_right_password{0};
    std::atomic<int> answered_wrong{0};
    std::latch known(12);
    std::vector<std::thread> clients;
    for (int k = 0; k < 12; ++k) {
        clients.emplace_back([&, k] {
            // Each client logs in for real from one address and misbehaves from another. Its
            // user's address has logged in before the misbehaving starts, as a user's would
            // have (strangers' wrong passwords soon spend the host's budget for new addresses).
            const PeerOptions user{.source = source(11, k), .receive_buffer = 0};
            const PeerOptions stranger{.source = source(10, k), .receive_buffer = 0};
            for (int round = 0; round < 100; ++round) {
                if (round == 1) known.arrive_and_wait();
                try {
                    if (round % 10 == 0) {
                        RawSession s(host.address, user);
                        (s.log_in(permanent, session::kView, {"vp9"}).ok() ? logged_in : refused_right_password)++;
                        continue;  // and out again
                    }
                    // Every other way a connection can end before or at login, over and over.
                    if (round % 4 == 0) {
                        RawPeer dropped(host.address, stranger);
                        continue;
                    }
                    RawSession s(host.address, stranger);
                    if (round % 4 == 1) continue;
                    if (round % 4 == 2) {
                        proto::SessionMessage hello;
                        hello.mutable_hello()->set_protocol_version(1);
                        s.send(hello);
                        continue;
                    }
                    if (!s.log_in("not the password", session::kView, {"vp9"}).reason().empty()) ++answered_wrong;
                } catch (const std::exception&) {
                    // turned away: that is the host's right under load
                }
            }
        });
    }
    for (auto& c : clients) c.join();
    EXPECT_EQ(logged_in.load(), 120);  // every right password let in, every time
    EXPECT_EQ(refused_right_password.load(), 0);
    EXPECT_GT(answered_wrong.load(), 100);  // and every wrong one answered

    // Not wedged: a real viewer still logs in, and SIGTERM ends the host at once.
    real_viewer_logs_in();
    const auto stopped = host.terminate();
    ASSERT_TRUE(stopped) << "the host ignored SIGTERM";
    EXPECT_LE(*stopped, kStopWithin) << stopped->count() << " ms";
    ::testing::Test::RecordProperty("shutdown_ms", static_cast<int>(stopped->count()));
}

TEST(HostHardening, FloodsOfIdleAndOversizedConnectionsCostBoundedThreadsAndMemory) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir);
    // A second host that no one floods: its viewer watches beside the flooded one's, on the same
    // machine at the same time, so what the flood costs is the difference between the two.
    TempDir calm_dir;
    RunningHost calm(calm_dir);
    // One session first, so that "before" is a host that has streamed and is idle again.
    const auto warm = host.connect("1");
    ASSERT_EQ(warm.exit_code, 0) << warm.err;
    host.next_password();
    std::this_thread::sleep_for(1s);  // its session is retired
    const ProcessUsage before = usage_of(host.process->pid());

    std::vector<std::unique_ptr<RawPeer>> flood;
    {
        UsageWatch watch(host.process->pid());
        // 1,000 connections that never say a word, 8 from each of 125 sources.
        for (int i = 0; i < 1000; ++i) {
            try {
                flood.push_back(std::make_unique<RawPeer>(host.address, PeerOptions{.source = source(20, i / 8)}));
            } catch (const std::exception&) {
                // a full accept queue: the attacker's problem
            }
        }
        // 50 that announce 16 MiB and send all of it but the last byte.
        std::vector<std::thread> big;
        for (int i = 0; i < 50; ++i) {
            big.emplace_back([&, i] {
                try {
                    RawPeer peer(host.address, PeerOptions{.source = source(30, i)});
                    peer.send_length(16u << 20);
                    const std::vector<uint8_t> chunk(1 << 20, 0x5a);
                    for (int mib = 0; mib < 16; ++mib) peer.send_bytes(std::span(chunk).first(mib == 15 ? chunk.size() - 1 : chunk.size()));
                    peer.wait_closed(10s);
                } catch (const std::exception&) {
                    // closed by the host before it took the bytes: as it should
                }
            });
        }
        for (auto& t : big) t.join();

        // Meanwhile a real viewer logs in and watches, and another watches the calm host beside it.
        auto calm_viewer = std::async(std::launch::async, [&] { return calm.connect("6"); });
        const auto during = host.connect("6");
        const auto beside = calm_viewer.get();
        ASSERT_EQ(during.exit_code, 0) << during.err;
        ASSERT_EQ(beside.exit_code, 0) << beside.err;
        const auto s = summary_of(during);
        const auto c = summary_of(beside);
        EXPECT_TRUE(s["logged_in"].get<bool>());
        ::testing::Test::RecordProperty("fps_beside", std::to_string(c["fps"].get<double>()));
        ::testing::Test::RecordProperty("fps_during_flood", std::to_string(s["fps"].get<double>()));
        ::testing::Test::RecordProperty("dropped_beside", std::to_string(c["dropped"].get<double>()));
        ::testing::Test::RecordProperty("dropped_during_flood", std::to_string(s["dropped"].get<double>()));
        // The flood costs the viewer nothing a busy machine would not cost the calm host's viewer too:
        // a host that served the flood first would fall far behind (the margins are the two viewers' noise).
        EXPECT_GE(s["fps"].get<double>(), 0.9 * c["fps"].get<double>());
        EXPECT_LE(s["dropped"].get<double>(), c["dropped"].get<double>() + 0.05 * s["frames"].get<double>());

        ::testing::Test::RecordProperty("threads_idle", static_cast<int>(before.threads));
        ::testing::Test::RecordProperty("threads_most_during_flood", static_cast<int>(watch.most_threads()));
        ::testing::Test::RecordProperty("rss_growth_kib", static_cast<int>(watch.most_rss_kib() - before.rss_kib));
        // Bounded threads: those of an idle host, plus the one that streams to the viewer.
        EXPECT_LE(watch.most_threads(), before.threads + 1) << "before " << before.threads;
        if (!kSanitized) {  // the sanitizers' allocator keeps freed memory on purpose
            EXPECT_LT(watch.most_rss_kib() - before.rss_kib, 50 * 1024) << "before " << before.rss_kib << " KiB";
        }
    }
    flood.clear();
    std::this_thread::sleep_for(2s);
    const ProcessUsage after = usage_of(host.process->pid());
    ::testing::Test::RecordProperty("rss_after_vs_before_percent", static_cast<int>(100 * after.rss_kib / before.rss_kib));
    if (!kSanitized) {
        EXPECT_LE(after.rss_kib, before.rss_kib * 11 / 10) << "before " << before.rss_kib << " KiB";
    }
    EXPECT_LE(after.threads, before.threads);
    const auto stopped = host.terminate();
    ASSERT_TRUE(stopped) << "the host ignored SIGTERM";
    EXPECT_LE(*stopped, kStopWithin) << stopped->count() << " ms";
}

TEST(HostHardening, AnUnansweredConfirmationIsRefusedInTimeAndHoldsUpNobody) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir, {"--confirm", "--confirm-timeout", "2"});
    // The first viewer's question goes unanswered.
    ChildProcess first(host.connect_argv("20", host.password), host.environment());
    const auto asked = host.process->wait_for_event("confirm");
    ASSERT_FALSE(asked.empty()) << host.process->stderr_text();
    EXPECT_EQ(asked["timeout_s"], 2);
    // A second viewer arrives while the host is asking about the first.
    ChildProcess second(host.connect_argv("8", host.next_password()), host.environment());
    const auto refused = host.process->wait_for_event("confirm_answer");
    ASSERT_FALSE(refused.empty());
    EXPECT_FALSE(refused["allowed"].get<bool>());
    EXPECT_EQ(refused["reason"], "not confirmed within 2 s");
    EXPECT_EQ(first.wait_exit(10s), 1);
    EXPECT_NE(first.stderr_text().find("not confirmed within 2 s"), std::string::npos) << first.stderr_text();

    // The second is asked in its turn; a yes lets it in.
    const auto asked_second = host.process->wait_for_event("confirm");
    ASSERT_FALSE(asked_second.empty());
    host.process->write_stdin("y\n");
    const auto allowed = host.process->wait_for_event("confirm_answer");
    EXPECT_TRUE(allowed["allowed"].get<bool>());
    EXPECT_EQ(second.wait_exit(30s), 0) << second.stderr_text();
    EXPECT_TRUE(nlohmann::json::parse(second.rest_of_stdout(5s))["logged_in"].get<bool>());

    // A question on screen does not hold up shutdown.
    ChildProcess third(host.connect_argv("20", host.next_password()), host.environment());
    ASSERT_FALSE(host.process->wait_for_event("confirm").empty());
    const auto stopped = host.terminate();
    ASSERT_TRUE(stopped) << "the host ignored SIGTERM";
    EXPECT_LE(*stopped, kStopWithin) << stopped->count() << " ms";
    EXPECT_EQ(third.wait_exit(10s), 1);
}

TEST(HostHardening, StopsWithinASecondWhateverItsConnectionsAreDoing) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir, {"--confirm", "--confirm-timeout", "60"});
    // A viewer watching, let in at the terminal.
    ChildProcess watching(host.connect_argv("60", host.password), host.environment());
    ASSERT_FALSE(host.process->wait_for_event("confirm").empty());
    host.process->write_stdin("y\n");
    ASSERT_TRUE(host.process->wait_for_event("confirm_answer")["allowed"].get<bool>());
    // One logged in that reads nothing.
    const std::string second_password = host.next_password();
    std::jthread stalled_login([&] {
        RawSession stalled(host.address, {.source = "127.0.60.1", .receive_buffer = 4096});
        stalled.log_in(second_password, session::kView, {"vp9"});
        stalled.peer.wait_closed(30s);
    });
    ASSERT_FALSE(host.process->wait_for_event("confirm").empty());
    host.process->write_stdin("y\n");
    ASSERT_TRUE(host.process->wait_for_event("confirm_answer")["allowed"].get<bool>());
    // One whose question is on screen, one in the middle of its handshake, a hundred idle.
    ChildProcess asking(host.connect_argv("60", host.next_password()), host.environment());
    ASSERT_FALSE(host.process->wait_for_event("confirm").empty()) << asking.stderr_text() << host.process->stderr_text();
    RawPeer mid_handshake(host.address, {.source = "127.0.60.2", .receive_buffer = 0});
    mid_handshake.send_length(200);
    mid_handshake.send_bytes(std::vector<uint8_t>(100, 1));
    std::vector<std::unique_ptr<RawPeer>> idle;
    for (int i = 0; i < 100; ++i) idle.push_back(std::make_unique<RawPeer>(host.address, PeerOptions{.source = source(61, i / 4)}));
    std::this_thread::sleep_for(1s);

    const auto stopped = host.terminate();
    ASSERT_TRUE(stopped) << "the host ignored SIGTERM";
    EXPECT_LE(*stopped, kStopWithin) << stopped->count() << " ms";
    ::testing::Test::RecordProperty("shutdown_ms", static_cast<int>(stopped->count()));
    stalled_login.join();
    EXPECT_EQ(watching.wait_exit(10s), 0);  // the host said goodbye; the viewer reports and exits
}

TEST(HostHardening, AViewerStoppedForTenSecondsShowsPicturesAgainWithinASecond) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    TempDir dir;
    RunningHost host(dir);
    ChildProcess viewer(host.connect_argv("16", host.password), host.environment());
    std::this_thread::sleep_for(3s);
    const auto stopped_at = Clock::now();
    viewer.signal(SIGSTOP);
    std::this_thread::sleep_for(10s);
    viewer.signal(SIGCONT);
    const auto stopped_for = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - stopped_at);
    ASSERT_EQ(viewer.wait_exit(30s), 0) << viewer.stderr_text();
    const auto s = nlohmann::json::parse(viewer.rest_of_stdout(5s));
    EXPECT_TRUE(s["logged_in"].get<bool>());
    // The longest freeze is the stop itself and at most a second more.
    EXPECT_LE(s["max_gap_ms"].get<double>(), static_cast<double>(stopped_for.count() + 1000)) << s.dump();
    ::testing::Test::RecordProperty("resumed_after_ms", static_cast<int>(s["max_gap_ms"].get<double>() - stopped_for.count()));
    EXPECT_GT(s["frames"].get<int>(), 30 * 3) << s.dump();  // pictures before the stop and after it
}

}  // namespace
}  // namespace tether::test
