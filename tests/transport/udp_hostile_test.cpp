// What a stranger can send to a port or a listener: garbage, forged punch
// packets, ENet connects it has no business making. None of it reaches ENet
// or gets an answer; what is nobody's goes to the host's on_datagram.
#include "udp_fixture.h"

#include <enet/enet.h>

#include <cstring>
#include <future>
#include <memory>
#include <vector>

namespace tether::test {
namespace {

constexpr uint32_t kPlainConnectData = 0x54554431;  // what connect() carries (plugins/transport/udp/wire.h)

// An ENet datagram of `commands` to the receiver's slot `peer` (with its
// session bits), checksummed as the transport's ENet checks it.
Bytes enet_datagram(uint16_t peer, const void* commands, size_t size, uint32_t connect_id) {
    Bytes bytes(2 + sizeof(enet_uint32) + size);
    const uint16_t header = htons(peer);
    std::memcpy(bytes.data(), &header, 2);
    std::memcpy(bytes.data() + 2, &connect_id, sizeof connect_id);
    std::memcpy(bytes.data() + 6, commands, size);
    const ENetBuffer buffer{.data = bytes.data(), .dataLength = bytes.size()};
    const enet_uint32 checksum = enet_crc32(&buffer, 1);
    std::memcpy(bytes.data() + 2, &checksum, sizeof checksum);
    return bytes;
}

constexpr uint32_t kStrangersConnectId = 0x12345678;

// An ENet connect as a stranger's ENet would send it, carrying `data`.
Bytes enet_connect(uint32_t data, uint32_t connect_id = kStrangersConnectId) {
    ENetProtocolConnect connect{};
    connect.header.command = unsigned{ENET_PROTOCOL_COMMAND_CONNECT} | unsigned{ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE};
    connect.header.channelID = 0xFF;
    connect.header.reliableSequenceNumber = htons(1);
    connect.incomingSessionID = 0xFF;
    connect.outgoingSessionID = 0xFF;
    connect.mtu = htonl(1400);
    connect.windowSize = htonl(65536);
    connect.channelCount = htonl(2);
    connect.packetThrottleInterval = htonl(ENET_PEER_PACKET_THROTTLE_INTERVAL);
    connect.packetThrottleAcceleration = htonl(ENET_PEER_PACKET_THROTTLE_ACCELERATION);
    connect.packetThrottleDeceleration = htonl(ENET_PEER_PACKET_THROTTLE_DECELERATION);
    connect.connectID = connect_id;
    connect.data = htonl(data);
    return enet_datagram(ENET_PROTOCOL_MAXIMUM_PEER_ID, &connect, sizeof connect, 0);
}

// The commands of an ENet datagram as the transport sends them (no checksum), each with its bytes.
std::vector<std::span<const uint8_t>> enet_commands(std::span<const uint8_t> datagram) {
    std::vector<std::span<const uint8_t>> commands;
    if (datagram.size() < 2) return commands;
    const bool sent_time = (datagram[0] << 8 & unsigned{ENET_PROTOCOL_HEADER_FLAG_SENT_TIME}) != 0;
    for (size_t at = (sent_time ? 4 : 2) + sizeof(enet_uint32); at + sizeof(ENetProtocolCommandHeader) <= datagram.size();) {
        const size_t size = enet_protocol_command_size(datagram[at] & ENET_PROTOCOL_COMMAND_MASK);
        if (size == 0 || at + size > datagram.size()) break;
        commands.push_back(datagram.subspan(at, size));
        at += size;  // the transport sends no data to a connection it has not started
    }
    return commands;
}

// A stranger's ENet, driven by hand: connected, then sending what it likes on channel 0.
class RawEnetPeer {
public:
    explicit RawEnetPeer(const std::string& listener) : listener_(listener) {}

    bool connect() {
        socket_.send_to(listener_, enet_connect(kPlainConnectData));
        while (const auto answer = socket_.receive(5s)) {
            for (const auto command : enet_commands(answer->bytes)) {
                if ((command[0] & ENET_PROTOCOL_COMMAND_MASK) != ENET_PROTOCOL_COMMAND_VERIFY_CONNECT) continue;
                ENetProtocolVerifyConnect verify;
                std::memcpy(&verify, command.data(), sizeof verify);
                peer_ = ntohs(verify.outgoingPeerID) | unsigned{verify.outgoingSessionID} << ENET_PROTOCOL_HEADER_SESSION_SHIFT;
                ENetProtocolAcknowledge ack{};
                ack.header.command = ENET_PROTOCOL_COMMAND_ACKNOWLEDGE;
                ack.header.channelID = 0xFF;
                ack.receivedReliableSequenceNumber = verify.header.reliableSequenceNumber;
                std::memcpy(&ack.receivedSentTime, answer->bytes.data() + 2, 2);
                send(&ack, sizeof ack);
                return true;
            }
        }
        return false;
    }

    // The first of `count` fragments of a message of `total` bytes; the rest never come.
    void send_first_fragment(uint16_t start, uint32_t count, uint32_t total, bool unreliable = false) {
        struct {
            ENetProtocolSendFragment command;
            uint8_t data[64];
        } first{};
        first.command.header.command = unreliable ? unsigned{ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE_FRAGMENT}
                                                  : unsigned{ENET_PROTOCOL_COMMAND_SEND_FRAGMENT} |
                                                        unsigned{ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE};
        first.command.header.reliableSequenceNumber = htons(start);
        first.command.startSequenceNumber = htons(start);
        first.command.dataLength = htons(sizeof first.data);
        first.command.fragmentCount = htonl(count);
        first.command.totalLength = htonl(total);
        send(&first, sizeof first);
    }

    // `count` empty unreliable messages on channel 0, packed many to a datagram, each
    // waiting behind a reliable one 1,000 ahead that never comes.
    void send_held_back_messages(size_t count) {
        constexpr size_t kPerDatagram = 150;
        std::vector<ENetProtocolSendUnreliable> commands;
        for (size_t i = 0; i < count; ++i) {
            ENetProtocolSendUnreliable empty{};
            empty.header.command = ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE;
            empty.header.reliableSequenceNumber = htons(1000);
            empty.unreliableSequenceNumber = htons(static_cast<uint16_t>(i + 1));
            commands.push_back(empty);
            if (commands.size() == kPerDatagram || i + 1 == count) {
                send(commands.data(), commands.size() * sizeof commands[0]);
                commands.clear();
            }
        }
    }

    // Whether a disconnect came within `timeout`.
    bool disconnected(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline)
            if (const auto datagram = socket_.receive(100ms))
                for (const auto command : enet_commands(datagram->bytes))
                    if ((command[0] & ENET_PROTOCOL_COMMAND_MASK) == ENET_PROTOCOL_COMMAND_DISCONNECT) return true;
        return false;
    }

private:
    void send(const void* command, size_t size) {
        socket_.send_to(listener_, enet_datagram(peer_, command, size, kStrangersConnectId));
    }

    const std::string listener_;
    const RawUdp socket_;
    uint16_t peer_ = 0;
};

// A listener and a stranger already connected to it with a raw ENet of its own.
class UdpStrangerTest : public UdpTransportTest {
protected:
    void SetUp() override {
        UdpTransportTest::SetUp();
        if (HasFatalFailure()) return;
        listener_ = listen_loopback(*accepted_);
        stranger_.emplace(listener_->address());
        ASSERT_TRUE(stranger_->connect());
    }
    void TearDown() override {
        // Before the fixture counts descriptors: the test's own socket, and the connection it made.
        stranger_.reset();
        listener_.reset();
        accepted_.reset();
        UdpTransportTest::TearDown();
    }

    std::unique_ptr<AcceptQueue> accepted_ = std::make_unique<AcceptQueue>();
    std::unique_ptr<Listener> listener_;
    std::optional<RawEnetPeer> stranger_;
};

// A punch packet (plugins/transport/udp/punch_packet.h), with every field the caller's to spoil.
Bytes punch_packet(uint8_t kind, const Bytes& token, uint8_t version = 1) {
    Bytes bytes(8 + token.size());
    const uint8_t header[] = {'T', 'P', 'U', 'N', version, kind, 0, 0};
    std::copy(std::begin(header), std::end(header), bytes.begin());
    std::copy(token.begin(), token.end(), bytes.begin() + 8);
    return bytes;
}

class Datagrams {
public:
    Transport::DatagramFn collector() {
        return [this](const std::string&, std::span<const uint8_t> bytes) {
            std::lock_guard lock(mutex_);
            received_.emplace_back(bytes.begin(), bytes.end());
            arrived_.notify_all();
        };
    }
    bool wait_for(const Bytes& last, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, timeout, [&] { return !received_.empty() && received_.back() == last; });
    }
    std::vector<Bytes> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<Bytes> received_;
};

TEST_F(UdpTransportTest, GarbageGoesNowhereAndTheHostsOwnDatagramsGoToIt) {
    Datagrams datagrams;
    const auto port = transport_->open_port("127.0.0.1:0", datagrams.collector());
    const RawUdp stranger;
    std::vector<Bytes> foreign;
    for (uint32_t i = 0; i < 20; ++i) {
        Bytes bytes = pattern(1 + i * 50, i);
        bytes[0] = 0x0A;  // as a protobuf message starts: not ENet's, not a punch
        foreign.push_back(bytes);
    }
    const Bytes token = token_of(1);
    Bytes too_long = punch_packet(1, token);
    too_long.push_back(0);
    Bytes oversized = pattern(5000, 99);  // more than ENet's receive buffer
    oversized[0] = 0x0A;
    foreign.push_back({0xFF});  // too short for ENet: nobody's, so the host's
    const std::vector<Bytes> garbage = {
        {},  // ENet reads an empty datagram as nothing at all
        punch_packet(1, token),  // well formed, but no punch runs here
        punch_packet(1, token, 2),
        punch_packet(9, token),
        too_long,
        {'T', 'P', 'U', 'N'},
        enet_connect(kPlainConnectData),  // a port takes no plain connects
        enet_connect(0),
        oversized,
    };
    for (size_t i = 0; i < std::max(foreign.size(), garbage.size()); ++i) {
        if (i < garbage.size()) stranger.send_to(port->address(), garbage[i]);
        if (i < foreign.size()) stranger.send_to(port->address(), foreign[i]);
    }
    foreign.push_back({0x0A, 0xEE});  // the last, to know when everything before it was read
    stranger.send_to(port->address(), foreign.back());
    ASSERT_TRUE(datagrams.wait_for(foreign.back()));
    EXPECT_EQ(datagrams.received(), foreign);
    EXPECT_FALSE(stranger.receive(300ms)) << "the port answered a stranger";

    // And the port still punches.
    const auto viewer = transport_->open_port("127.0.0.1:0", {});
    auto host_side = std::async(std::launch::async, [&] {
        return port->punch(plan_for(viewer->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_ACCEPTOR, token));
    });
    EXPECT_TRUE(viewer->punch(plan_for(port->address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_DIALER, token)));
    EXPECT_TRUE(host_side.get());
}

TEST_F(UdpTransportTest, APunchAnswersOnlyPacketsWithItsToken) {
    const auto port = transport_->open_port("127.0.0.1:0", {});
    const RawUdp silent;
    const RawUdp stranger;
    const Bytes token = token_of(2);
    auto punching = std::async(std::launch::async, [&] {
        return port->punch(plan_for(silent.address(), TETHER_PUNCH_DIRECT, TETHER_PUNCH_ACCEPTOR, token, 60s));
    });
    // Whether the stranger got an answer within a while; the probes the punch
    // sends a path it heard do not count.
    const auto answered = [&] {
        for (auto until = std::chrono::steady_clock::now() + 300ms; std::chrono::steady_clock::now() < until;)
            if (const auto got = stranger.receive(50ms); got && got->bytes != punch_packet(1, token)) return true;
        return false;
    };
    const auto forge = [&] {
        for (const Bytes& forged : {punch_packet(1, token_of(3)), punch_packet(1, token, 2), punch_packet(3, token)})
            stranger.send_to(port->address(), forged);
    };
    // The punch starts at once, but this thread cannot see when: the forged
    // packets go both before and after the right one was answered.
    forge();
    EXPECT_FALSE(answered()) << "a forged packet was answered";
    std::optional<RawUdp::Datagram> answer;
    for (int attempt = 0; attempt < 100 && !answer; ++attempt) {
        stranger.send_to(port->address(), punch_packet(1, token));
        answer = stranger.receive(100ms);
    }
    ASSERT_TRUE(answer) << "the punch never answered its own token";
    EXPECT_EQ(answer->bytes, punch_packet(2, token));
    for (auto until = std::chrono::steady_clock::now() + 300ms; std::chrono::steady_clock::now() < until;)
        stranger.receive(50ms);  // answers to the right probes sent before, if any is late
    forge();
    EXPECT_FALSE(answered()) << "a forged packet was answered";

    // The stranger, though now a path the punch heard, cannot connect without the token's word.
    stranger.send_to(port->address(), enet_connect(kPlainConnectData));
    EXPECT_FALSE(answered()) << "an ENet connect was answered";
    port->close();
    EXPECT_THROW(punching.get(), PluginError);
}

TEST_F(UdpTransportTest, ConnectsAreAdmittedOnlyWhereTheyBelong) {
    AcceptQueue accepted;
    const auto listener = listen_loopback(accepted);
    const RawUdp stranger;
    stranger.send_to(listener->address(), enet_connect(0xBADBAD));
    EXPECT_FALSE(stranger.receive(300ms)) << "a listener answered a connect that is not a Tether one";
    stranger.send_to(listener->address(), enet_connect(kPlainConnectData));
    EXPECT_TRUE(stranger.receive(10s)) << "a listener did not answer a plain connect";

    const auto port = transport_->open_port("127.0.0.1:0", {});
    EXPECT_THROW(transport_->connect(port->address(), 500ms), PluginError);
}

TEST_F(UdpTransportTest, AStrangersUnansweredConnectsTakeFourSlotsNotTheListener) {
    AcceptQueue accepted;
    const auto listener = listen_loopback(accepted);
    // 64 connects from as many ports of one address, never answered: as many as a listener has slots.
    std::vector<std::unique_ptr<RawUdp>> stranger;
    size_t answered = 0;
    for (int i = 0; i < 64; ++i) {
        stranger.push_back(std::make_unique<RawUdp>("127.0.0.2"));
        stranger.back()->send_to(listener->address(), enet_connect(kPlainConnectData));
    }
    for (const auto& socket : stranger) answered += socket->receive(20ms) ? 1 : 0;
    EXPECT_LE(answered, 4u);
    // Someone else still gets in.
    auto client = transport_->connect(listener->address(), 5s);
    EXPECT_NE(accepted.next(), nullptr);
}

TEST_F(UdpStrangerTest, AStrangersUnfinishedMessagesEndItsConnectionNotTheHostsMemory) {
    // 600 messages of 60,000 bytes each, every one within the limit before
    // start and none finished: 36 MB that ENet alone would hold (32 MiB of them).
    for (uint16_t message = 0; message < 600; ++message) stranger_->send_first_fragment(1 + 2 * message, 2, 60000);
    EXPECT_TRUE(stranger_->disconnected(5s));
}

TEST_F(UdpTransportTest, SpoofedDisconnectsFromAPeersAddressDoNotEndItsConnection) {
    AcceptQueue accepted;
    const auto listener = listen_loopback(accepted);
    Inbox at_client;
    Inbox at_server;
    const auto client = transport_->connect(listener->address(), 5s);
    at_client.collect_from(*client);
    const auto server = accepted.next();
    ASSERT_TRUE(server);
    at_server.collect_from(*server);
    // A stranger who knows both addresses, not the connection's connect ID,
    // tries every slot and session, with a checksum and as an ENet without one.
    ENetProtocolDisconnect disconnect{};
    disconnect.header.command = unsigned{ENET_PROTOCOL_COMMAND_DISCONNECT} | unsigned{ENET_PROTOCOL_COMMAND_FLAG_UNSEQUENCED};
    disconnect.header.channelID = 0xFF;
    for (uint16_t slot = 0; slot < 64; ++slot) {
        for (uint16_t session = 0; session < 4; ++session) {
            const uint16_t peer = slot | session << ENET_PROTOCOL_HEADER_SESSION_SHIFT;
            const Bytes checksummed = enet_datagram(peer, &disconnect, sizeof disconnect, 0);
            Bytes bare(checksummed.begin(), checksummed.end());
            bare.erase(bare.begin() + 2, bare.begin() + 6);
            if (!send_spoofed(accepted.last_peer(), listener->address(), checksummed))
                GTEST_SKIP() << "spoofing a source address needs CAP_NET_RAW";
            send_spoofed(accepted.last_peer(), listener->address(), bare);
        }
    }
    client->send(buffer_of(pattern(100, 1)));
    EXPECT_TRUE(at_server.wait_for_messages(1));
    EXPECT_FALSE(at_server.wait_for_close(500ms)) << "a spoofed disconnect ended the connection";
    EXPECT_FALSE(at_client.wait_for_close(10ms));
}

TEST_F(UdpTransportTest, ConnectsFromSpoofedSourcesCannotFillTheListener) {
    AcceptQueue accepted;
    const auto listener = listen_loopback(accepted);
    // One connect from each of 64 addresses nobody answers at: as many as the listener has slots.
    for (int source = 1; source <= 64; ++source)
        if (!send_spoofed("127.1.0." + std::to_string(source) + ":4000", listener->address(), enet_connect(kPlainConnectData)))
            GTEST_SKIP() << "spoofing a source address needs CAP_NET_RAW";
    // A real client still gets in, through a cookie round trip.
    const auto client = transport_->connect(listener->address(), 5s);
    EXPECT_NE(accepted.next(), nullptr);
}

TEST_F(UdpStrangerTest, AFragmentClaimingMorePiecesThanBytesEndsItsConnection) {
    // A one-byte message in 2^20 pieces: ENet would allocate a 128 KiB bitmap for it, unasked.
    stranger_->send_first_fragment(1000, 1u << 20, 1, true);
    EXPECT_TRUE(stranger_->disconnected(5s));
}

TEST_F(UdpTransportTest, ConnectsFromOneAddressUnderNewConnectIdsTakeFourSlotsNotTheListener) {
    AcceptQueue accepted;
    const auto listener = listen_loopback(accepted);
    // 64 connects from one address and port, each with a connect ID of its own: not retransmissions.
    const RawUdp stranger("127.0.0.2");
    for (uint32_t id = 1; id <= 64; ++id) stranger.send_to(listener->address(), enet_connect(kPlainConnectData, id));
    size_t answered = 0;
    while (stranger.receive(200ms)) ++answered;
    EXPECT_LE(answered, 4u * 2) << "more than four connects answered (each answer may come twice)";
    auto client = transport_->connect(listener->address(), 5s);
    EXPECT_NE(accepted.next(), nullptr);
}

TEST_F(UdpStrangerTest, MessagesHeldBackOutOfOrderAreBoundedInNumberNotOnlyInBytes) {
    // Empty messages count no bytes, but ENet keeps each at about 200 bytes of its own.
    stranger_->send_held_back_messages(6000);
    EXPECT_TRUE(stranger_->disconnected(5s));
}

}  // namespace
}  // namespace tether::test
