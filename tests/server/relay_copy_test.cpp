// Paired peers' bytes cross the relay unchanged both ways, in either copy
// mode; ends are passed on; and the byte-rate caps hold.
#include "relay_fixture.h"
#include "server/token_bucket.h"

#include <atomic>
#include <thread>

namespace tether::server::test {
namespace {

constexpr size_t kStreamBytes = 8 << 20;

// Sends `bytes` in pieces of odd sizes while the other end reads.
void send_in_pieces(TestPeer& peer, const std::vector<uint8_t>& bytes) {
    size_t at = 0;
    for (size_t piece = 1; at < bytes.size(); piece = piece * 3 % 200'003 + 1) {
        const size_t n = std::min(piece, bytes.size() - at);
        peer.send(std::span(bytes).subspan(at, n));
        at += n;
    }
}

// Reads until the end of the stream; the checksum of everything read.
uint64_t checksum_until_end(TestPeer& peer, size_t* count) {
    Checksum sum;
    for (;;) {
        const auto piece = peer.receive(256 * 1024);
        if (piece.empty()) break;
        sum.add(piece);
        *count += piece.size();
    }
    return sum.value;
}

class RelayCopyTest : public RelayTest, public ::testing::WithParamInterface<bool> {
protected:
    void start_in_mode() {
        RelayOptions options;
        options.splice = GetParam();
        start(options);
    }
};

TEST_P(RelayCopyTest, MegabytesCrossBothWaysUnchangedAndTheEndsArePassedOn) {
    start_in_mode();
    const auto t = token();
    auto host = present(host_hello(t));
    // Bytes sent ahead of pairing wait in the relay's socket for the session.
    const auto early = test_bytes(1000, 99);
    host->send(early);
    auto viewer = present(viewer_hello(t));
    for (TestPeer* peer : {host.get(), viewer.get()}) {
        const auto answer = peer->read_answer();
        ASSERT_TRUE(answer && answer->paired());
    }
    const auto to_viewer = test_bytes(kStreamBytes, 1);
    const auto to_host = test_bytes(kStreamBytes - 12'345, 2);
    Checksum expected_at_viewer, expected_at_host;
    expected_at_viewer.add(early);
    expected_at_viewer.add(to_viewer);
    expected_at_host.add(to_host);

    std::thread host_sends([&] {
        send_in_pieces(*host, to_viewer);
        host->shutdown_sending();
    });
    std::thread viewer_sends([&] {
        send_in_pieces(*viewer, to_host);
        viewer->shutdown_sending();
    });
    size_t at_viewer = 0, at_host = 0;
    uint64_t viewer_sum = 0;
    std::thread viewer_reads([&] { viewer_sum = checksum_until_end(*viewer, &at_viewer); });
    const uint64_t host_sum = checksum_until_end(*host, &at_host);
    viewer_reads.join();
    host_sends.join();
    viewer_sends.join();

    EXPECT_EQ(at_viewer, early.size() + to_viewer.size());
    EXPECT_EQ(viewer_sum, expected_at_viewer.value);
    EXPECT_EQ(at_host, to_host.size());
    EXPECT_EQ(host_sum, expected_at_host.value);
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0; })) << "both ends closed: the session is over";
    EXPECT_EQ(metrics_.relayed_bytes.Value(), static_cast<double>(at_viewer + at_host));
    EXPECT_EQ(metrics_.relay_sessions.Value(), 0);
}

TEST_P(RelayCopyTest, AHalfClosedSessionStillCarriesTheOtherWay) {
    start_in_mode();
    auto [host, viewer] = paired_peers();
    host->shutdown_sending();
    EXPECT_TRUE(viewer->closed_within()) << "the host's FIN reaches the viewer";
    const auto reply = test_bytes(5000, 3);
    viewer->send(reply);
    std::vector<uint8_t> got;
    while (got.size() < reply.size()) {
        const auto piece = host->receive(reply.size());
        if (piece.empty()) break;
        got.insert(got.end(), piece.begin(), piece.end());
    }
    EXPECT_EQ(got, reply);
    EXPECT_EQ(relay_->sessions(), 1u);
}

TEST_P(RelayCopyTest, AResetEndsTheSessionForTheOtherPeer) {
    start_in_mode();
    auto [host, viewer] = paired_peers();
    host->reset();
    EXPECT_TRUE(viewer->closed_within());
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0; }));
}

INSTANTIATE_TEST_SUITE_P(SpliceAndBuffer, RelayCopyTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "splice" : "buffer"; });

TEST_F(RelayTest, ASessionWithNoBytesEitherWayEndsAtTheIdleTimeout) {
    RelayOptions options;
    options.idle_timeout = 300ms;
    start(options);
    const auto before = std::chrono::steady_clock::now();
    auto [host, viewer] = paired_peers();
    EXPECT_TRUE(host->closed_within());
    EXPECT_TRUE(viewer->closed_within());
    EXPECT_GE(std::chrono::steady_clock::now() - before, 300ms);
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 0; }));
}

using PeerPair = std::pair<std::unique_ptr<TestPeer>, std::unique_ptr<TestPeer>>;

// Each pair's host writes as fast as the relay takes for `window` while its
// viewer reads; the bytes the viewers got in all.
size_t flood(std::vector<PeerPair> pairs, std::chrono::milliseconds window) {
    std::atomic<bool> stop{false};
    std::atomic<size_t> delivered{0};
    std::vector<std::thread> threads;
    for (auto& [host, viewer] : pairs) {
        threads.emplace_back([&stop, host = host.get()] {
            const auto chunk = test_bytes(64 * 1024, 4);
            try {
                while (!stop) host->send(chunk);
            } catch (const std::runtime_error&) {
            }  // the relay closed the session: the flood is over
        });
        threads.emplace_back([&delivered, window, viewer = std::move(viewer)]() mutable {
            const auto until = std::chrono::steady_clock::now() + window;
            while (std::chrono::steady_clock::now() < until) delivered += viewer->receive(256 * 1024, 50ms).size();
            viewer.reset();  // the relay then closes the host too, which ends a blocked send
        });
    }
    for (size_t i = 1; i < threads.size(); i += 2) threads[i].join();
    stop = true;
    for (size_t i = 0; i < threads.size(); i += 2) threads[i].join();
    return delivered;
}

// A property, not a timing: a loaded machine only makes the window longer.
// The relay starts with `options` and `sessions` flood it.
void expect_capped(RelayTest& test, RelayOptions options, uint64_t cap, int sessions) {
    const auto began = std::chrono::steady_clock::now();  // no budget exists before this
    test.start(std::move(options));
    std::vector<PeerPair> pairs;
    for (int i = 0; i < sessions; ++i) pairs.push_back(test.paired_peers());
    const size_t delivered = flood(std::move(pairs), 1500ms);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - began;
    EXPECT_GT(delivered, 0u);
    EXPECT_LE(static_cast<double>(delivered), cap * elapsed.count() + byte_rate(cap).burst);
}

TEST_F(RelayTest, ASessionGetsNoMoreThanItsCapAndABurst) {
    RelayOptions options;
    options.session_bytes_per_s = 2'000'000;
    expect_capped(*this, options, options.session_bytes_per_s, 1);
}

TEST_F(RelayTest, AllSessionsTogetherGetNoMoreThanTheRelaysCapAndABurst) {
    RelayOptions options;
    options.total_bytes_per_s = 3'000'000;
    expect_capped(*this, options, options.total_bytes_per_s, 3);
}

}  // namespace
}  // namespace tether::server::test
