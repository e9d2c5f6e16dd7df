// First frames that are not a hello: each connection is closed without an
// answer and counted, and the relay goes on pairing.
#include "relay_fixture.h"
#include "rendezvous/wire.h"

namespace tether::server::test {
namespace {

std::vector<uint8_t> frame_of(const proto::RendezvousMessage& message) { return rendezvous::encode_frame(message); }

struct HostileFirstFrame {
    const char* name;
    std::vector<uint8_t> bytes;
    const char* counted_as;
    bool then_close;  // the peer closes its sending side after the bytes
};

std::vector<HostileFirstFrame> hostile_first_frames() {
    proto::RendezvousMessage answer;
    answer.mutable_relay_answer()->set_paired(true);
    std::vector<uint8_t> truncated = frame_of(answer);
    truncated[0] = 100;  // claims more than follows
    std::vector<uint8_t> garbage = {16, 0, 0, 0};
    for (uint8_t i = 0; i < 16; ++i) garbage.push_back(static_cast<uint8_t>(0xff - i));
    return {
        {"oversized length", {0xff, 0xff, 0xff, 0xff, 1, 2, 3}, "oversized hello", false},
        {"just over 1 KiB", {0x01, 0x04, 0, 0}, "oversized hello", false},
        {"empty frame", {0, 0, 0, 0}, "malformed hello", false},
        {"unparsable body", garbage, "malformed hello", false},
        {"another message", frame_of(answer), "not a relay hello", false},
        {"truncated frame", truncated, "truncated hello", true},
        {"truncated header", {7, 0}, "truncated hello", true},
        {"HTTP", {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'}, "oversized hello", false},
    };
}

TEST_F(RelayTest, FirstFramesThatAreNotAHelloCloseTheConnectionUnanswered) {
    start();
    for (const auto& hostile : hostile_first_frames()) {
        SCOPED_TRACE(hostile.name);
        const double counted_before = metrics_.refusals(hostile.counted_as);
        TestPeer peer(address());
        peer.send(hostile.bytes);
        if (hostile.then_close) peer.shutdown_sending();
        EXPECT_FALSE(peer.read_answer()) << "garbage gets no answer";
        EXPECT_TRUE(peer.closed_within());
        EXPECT_TRUE(eventually([&] { return metrics_.refusals(hostile.counted_as) == counted_before + 1; }));
    }
    EXPECT_TRUE(eventually([&] { return relay_->unpaired() == 0; }));
    auto [host, viewer] = paired_peers();
    EXPECT_TRUE(eventually([&] { return relay_->sessions() == 1; }));
}

TEST_F(RelayTest, AHelloTrickledByteByByteIsDroppedAtThePairingTimeout) {
    RelayOptions options;
    options.pair_timeout = 300ms;
    start(options);
    TestPeer slow(address());
    proto::RendezvousMessage message;
    *message.mutable_relay_hello() = host_hello(token());
    const auto frame = frame_of(message);
    bool closed = false;
    for (size_t i = 0; i < frame.size() && !closed; ++i) {
        try {
            slow.send(std::span(frame).subspan(i, 1));
        } catch (const std::runtime_error&) {
            closed = true;
        }
        closed = closed || slow.closed_within(50ms);
    }
    EXPECT_TRUE(closed || slow.closed_within()) << "a hello that takes longer than the pairing timeout is not waited for";
    EXPECT_TRUE(eventually([&] { return metrics_.refusals("no hello in time") == 1; }));
}

}  // namespace
}  // namespace tether::server::test
