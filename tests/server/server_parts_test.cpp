// The rendezvous server's parts without sockets: token buckets and their
// bounded table, the relay directory, cookies, the first-frame checks and
// the lookup answer's size.
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "server/endpoint_text.h"
#include "server/first_frame.h"
#include "server/lookup_answer.h"
#include "server/relay_directory.h"
#include "server/source_rate_limiter.h"
#include "server/token_bucket.h"
#include "server/udp_cookie.h"
#include "server/refusal_reasons.h"
#include "server/udp_registration.h"

#include <gtest/gtest.h>

#include <limits>

namespace tether::server {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::make_address;

TEST(TokenBucket, AllowsTheBurstThenTheRate) {
    const Rate rate{.per_second = 2, .burst = 3};
    const auto start = TokenBucket::Clock::now();
    TokenBucket bucket(rate, start);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.take(rate, start));
    EXPECT_FALSE(bucket.take(rate, start));
    EXPECT_TRUE(bucket.take(rate, start + 500ms));
    EXPECT_FALSE(bucket.take(rate, start + 500ms));
    EXPECT_FALSE(bucket.full(rate, start + 1s));
    EXPECT_TRUE(bucket.full(rate, start + 2s));
}

TEST(TokenBucket, CountsBytesAndSaysWhenMoreAreThere) {
    const Rate rate = byte_rate(1'000'000);
    EXPECT_EQ(rate.burst, 100'000);
    EXPECT_EQ(byte_rate(1000).burst, 16 * 1024);
    const auto start = TokenBucket::Clock::now();
    TokenBucket bucket(rate, start);
    EXPECT_EQ(bucket.available(rate, start), 100'000u);
    bucket.consume(rate, 150'000);  // never below empty
    EXPECT_EQ(bucket.available(rate, start), 0u);
    EXPECT_NEAR(std::chrono::duration<double>(bucket.time_until(rate, 50'000, start)).count(), 0.05, 1e-6);
    EXPECT_NEAR(std::chrono::duration<double>(bucket.time_until(rate, 1'000'000, start)).count(), 0.1, 1e-6);
    EXPECT_NEAR(static_cast<double>(bucket.available(rate, start + 20ms)), 20'000, 1);
    EXPECT_NEAR(static_cast<double>(bucket.available(rate, start)), 20'000, 1);  // an older clock takes nothing back

    const Rate none = byte_rate(0);
    TokenBucket unlimited(none, start);
    EXPECT_EQ(unlimited.available(none, start), std::numeric_limits<uint64_t>::max());
    EXPECT_EQ(unlimited.time_until(none, 1'000'000, start), TokenBucket::Clock::duration::zero());
    EXPECT_TRUE(unlimited.take(none, start));
}

TEST(SourceRateLimiter, CountsEachSourceApartAndIpv6Per64) {
    SourceRateLimiter limiter({.per_second = 0.001, .burst = 1}, 100);
    const auto now = TokenBucket::Clock::now();
    EXPECT_TRUE(limiter.allow(make_address("192.0.2.1"), now));
    EXPECT_FALSE(limiter.allow(make_address("192.0.2.1"), now));
    EXPECT_FALSE(limiter.allow(make_address("::ffff:192.0.2.1"), now));
    EXPECT_TRUE(limiter.allow(make_address("192.0.2.2"), now));
    EXPECT_TRUE(limiter.allow(make_address("2001:db8::1"), now));
    EXPECT_FALSE(limiter.allow(make_address("2001:db8::ffff:2"), now));
    EXPECT_TRUE(limiter.allow(make_address("2001:db8:0:1::1"), now));
}

TEST(SourceRateLimiter, TheTableStaysWithinItsBound) {
    SourceRateLimiter limiter({.per_second = 1, .burst = 5}, 64);
    const auto now = TokenBucket::Clock::now();
    for (uint32_t i = 0; i < 10'000; ++i)
        limiter.allow(boost::asio::ip::address_v4(0x0a000000 + i), now + std::chrono::milliseconds(i));
    EXPECT_LE(limiter.sources(), 64u);
}

TEST(RelayDirectory, AssignsTheLeastLoadedWithRoomAndForgetsSilentRelays) {
    RelayDirectory relays({"192.0.2.10:21117"}, false);
    const auto now = RelayDirectory::Clock::now();
    proto::RelayAnnounce full;
    full.set_addr("192.0.2.11:21117");
    full.set_sessions(10);
    full.set_capacity(10);
    ASSERT_TRUE(relays.announce(full, now));
    EXPECT_EQ(relays.assign().addr, "192.0.2.10:21117");
    proto::RelayAnnounce configured;
    configured.set_addr("192.0.2.10:21117");
    configured.set_sessions(10);
    configured.set_capacity(10);
    ASSERT_TRUE(relays.announce(configured, now));
    EXPECT_EQ(relays.assign().addr, "");  // every relay full
    EXPECT_EQ(relays.known(), 2u);
    relays.expire(now + kRelayAnnounceLifetime);
    EXPECT_EQ(relays.known(), 1u);
    EXPECT_EQ(relays.assign().addr, "192.0.2.10:21117");
}

TEST(RelayDirectory, GivesEachRelaysWebSocketAddressWhereItHasOne) {
    RelayDirectory here({":21117"}, true);
    EXPECT_EQ(here.assign().addr, ":21117");
    EXPECT_EQ(here.assign().websocket, "/relay");  // on the WebSocket address the peer reached
    EXPECT_EQ(RelayDirectory({":21117"}, false).assign().websocket, "");
    EXPECT_EQ(RelayDirectory({"192.0.2.10:21117"}, true).assign().websocket, "");  // not this machine's

    RelayDirectory announced({}, true);
    proto::RelayAnnounce relay;
    relay.set_addr("relay.example.net:21117");
    relay.set_websocket_addr("relay.example.net:443");
    relay.set_capacity(10);
    ASSERT_TRUE(is_relay_announce_text(relay));
    ASSERT_TRUE(announced.announce(relay, RelayDirectory::Clock::now()));
    EXPECT_EQ(announced.assign().addr, "relay.example.net:21117");
    EXPECT_EQ(announced.assign().websocket, "relay.example.net:443/relay");
    relay.set_websocket_addr("relay.example.net:443/elsewhere");
    EXPECT_FALSE(is_relay_announce_text(relay));
}

TEST(RelayDirectory, ThisMachineIsTheAddressThePeerReached) {
    EXPECT_EQ(relay_address_for(":21117", make_address("198.51.100.7")), "198.51.100.7:21117");
    EXPECT_EQ(relay_address_for(":21117", make_address("::ffff:198.51.100.7")), "198.51.100.7:21117");
    EXPECT_EQ(relay_address_for(":21117", make_address("2001:db8::7")), "[2001:db8::7]:21117");
    EXPECT_EQ(relay_address_for("relay.example.net:21117", make_address("2001:db8::7")), "relay.example.net:21117");
    EXPECT_THROW(RelayDirectory({"relay.example.net"}, false), std::invalid_argument);
    EXPECT_THROW(RelayDirectory({":0"}, false), std::invalid_argument);
    EXPECT_FALSE(is_relay_address_text(std::string(kMaxRelayAddress, 'a') + ":1"));
}

TEST(UdpCookies, AreGoodForTheirSourceIdAndTwoSlots) {
    const UdpCookies cookies;
    const boost::asio::ip::udp::endpoint source(make_address("192.0.2.1"), 4000);
    const int64_t now = 1'700'000'010;
    const auto cookie = cookies.make(source, "123456789", now);
    EXPECT_TRUE(cookies.check(source, "123456789", cookie, now));
    EXPECT_TRUE(cookies.check(source, "123456789", cookie, now + kCookieSlotSeconds));
    EXPECT_FALSE(cookies.check(source, "123456789", cookie, now + 2 * kCookieSlotSeconds));
    EXPECT_FALSE(cookies.check(source, "987654321", cookie, now));
    EXPECT_FALSE(cookies.check({source.address(), 4001}, "123456789", cookie, now));
    EXPECT_FALSE(UdpCookies().check(source, "123456789", cookie, now));  // another process's secret
}

TEST(FirstFrame, KeepsOnlyValidAddressesAndRefusesBadKeys) {
    const auto host = security::fresh_identity();
    proto::RendezvousMessage message;
    auto& request = *message.mutable_register_();
    request.set_id(host.peer_id);
    request.set_key(rendezvous::key_bytes(host.public_key));
    for (int i = 0; i < 12; ++i) *request.add_lan_addrs() = "10.0.0." + std::to_string(i) + ":5900";
    *request.add_lan_addrs() = "[fe80::1%eth0]:5900";
    request.set_cookie("ignored on TCP");
    const FirstFrame frame = classify_first_frame(rendezvous::encode(message));
    ASSERT_TRUE(std::holds_alternative<proto::Register>(frame));
    EXPECT_EQ(std::get<proto::Register>(frame).lan_addrs_size(), rendezvous::kMaxAddresses);
    EXPECT_TRUE(std::get<proto::Register>(frame).cookie().empty());

    request.set_key("short");
    EXPECT_TRUE(std::holds_alternative<Refused>(classify_first_frame(rendezvous::encode(message))));
}

TEST(LookupAnswer, TheLongestFoundIsStillTheFixedSize) {
    const auto server = security::fresh_identity();
    const auto viewer = security::fresh_identity();
    const std::string longest = "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535";
    ASSERT_EQ(longest.size(), kMaxEndpointText);
    OnlineHost host{.id = "123456789",
                    .key = security::fresh_identity().public_key,
                    .public_addr = longest,
                    .lan_addrs = std::vector<std::string>(rendezvous::kMaxAddresses, longest),
                    .udp_addr = longest,
                    .udp_varies = true};
    proto::Lookup lookup;
    lookup.set_id(host.id);
    lookup.set_viewer_key(rendezvous::key_bytes(viewer.public_key));
    for (int i = 0; i < rendezvous::kMaxAddresses; ++i) *lookup.add_viewer_addrs() = longest;
    lookup.mutable_viewer_udp()->set_addr(longest);
    const std::string source = longest.substr(1, longest.find(']') - 1);
    const std::string relay(kMaxRelayAddress, 'r');
    const LookupContext context{.server = server, .now_unix = 1'700'000'000};
    const std::string relay_websocket = relay + "/relay";
    const auto found = answer_lookup(context, lookup, {&host, longest, relay, relay, source, relay_websocket});
    EXPECT_EQ(rendezvous::encode(found.reply).size(), rendezvous::kLookupReplySize);
    EXPECT_EQ(found.reply.lookup_reply().found().host_udp().addr(), longest);
    EXPECT_EQ(found.reply.lookup_reply().found().relay_websocket(), relay_websocket);
    EXPECT_EQ(found.incoming.incoming().relay_websocket(), relay_websocket);
    // Eight of the longest LAN addresses, both UDP ports and the longest relay
    // both ways do not all fit: the last two addresses go.
    EXPECT_EQ(found.reply.lookup_reply().found().lan_addrs_size(), rendezvous::kMaxAddresses - 2);
    EXPECT_EQ(found.incoming.incoming().viewer_addrs_size(), rendezvous::kMaxAddresses + 1);
    EXPECT_LE(rendezvous::encode(found.incoming).size(), rendezvous::kMaxMessage);
    const auto not_found = answer_lookup(context, lookup, {nullptr, longest, relay, relay, source, relay_websocket});
    EXPECT_EQ(rendezvous::encode(not_found.reply).size(), rendezvous::kLookupReplySize);
    EXPECT_FALSE(not_found.incoming.has_incoming());
}

TEST(LookupAnswer, PeersHearOfEachOthersUdpPortWithOneTokenOnlyForTheViewersOwnAddress) {
    const auto server = security::fresh_identity();
    OnlineHost host{.id = "123456789",
                    .key = security::fresh_identity().public_key,
                    .public_addr = "203.0.113.21:21118",
                    .lan_addrs = {},
                    .udp_addr = "203.0.113.21:40000",
                    .udp_varies = false};
    proto::Lookup lookup;
    lookup.set_id(host.id);
    lookup.set_viewer_key(rendezvous::key_bytes(security::fresh_identity().public_key));
    lookup.mutable_viewer_udp()->set_addr("192.0.2.22:50000");
    lookup.mutable_viewer_udp()->set_varies(true);
    const LookupContext context{.server = server, .now_unix = 1'700'000'000};

    const auto answer = answer_lookup(context, lookup, {&host, "", "", "", "192.0.2.22"});
    const auto& found = answer.reply.lookup_reply().found();
    const auto& incoming = answer.incoming.incoming();
    EXPECT_EQ(found.host_udp().addr(), "203.0.113.21:40000");
    EXPECT_FALSE(found.host_udp().varies());
    EXPECT_EQ(incoming.viewer_udp().addr(), "192.0.2.22:50000");
    EXPECT_TRUE(incoming.viewer_udp().varies());
    EXPECT_EQ(found.punch_token().size(), rendezvous::kPunchTokenSize);
    EXPECT_EQ(found.punch_token(), incoming.punch_token());
    EXPECT_NE(answer_lookup(context, lookup, {&host, "", "", "", "192.0.2.22"}).incoming.incoming().punch_token(),
              incoming.punch_token())
        << "a token serves one lookup";

    // A viewer naming someone else's address gets no punching: the host would probe a third party.
    const auto elsewhere = answer_lookup(context, lookup, {&host, "", "", "", "198.51.100.7"});
    EXPECT_FALSE(elsewhere.reply.lookup_reply().found().has_host_udp());
    EXPECT_FALSE(elsewhere.incoming.incoming().has_viewer_udp());
    EXPECT_TRUE(elsewhere.incoming.incoming().punch_token().empty());
}

TEST(LookupAnswer, TheHostDialsOnlyTheViewersOwnAddressOrItsLanWhenTheyShareOne) {
    const auto server = security::fresh_identity();
    OnlineHost host{.id = "123456789",
                    .key = security::fresh_identity().public_key,
                    .public_addr = "203.0.113.21:21118",
                    .lan_addrs = {},
                    .udp_addr = "",
                    .udp_varies = false};
    proto::Lookup lookup;
    lookup.set_id(host.id);
    lookup.set_viewer_key(rendezvous::key_bytes(security::fresh_identity().public_key));
    for (const char* address : {"192.0.2.22:4000", "10.2.0.2:4000", "[fe80::1%eth0]:4000", "198.51.100.7:4444",
                                "127.0.0.1:1", "[2001:db8::7]:80"})
        *lookup.add_viewer_addrs() = address;
    const LookupContext context{.server = server, .now_unix = 1'700'000'000};
    const auto dialed = [&](const std::string& viewer_source) {
        const auto answer = answer_lookup(context, lookup, {&host, "", "", "", viewer_source});
        const auto& addrs = answer.incoming.incoming().viewer_addrs();
        return std::vector<std::string>(addrs.begin(), addrs.end());
    };
    // From elsewhere: its own public address only, never a third party's or a private one.
    EXPECT_EQ(dialed("192.0.2.22"), std::vector<std::string>{"192.0.2.22:4000"});
    // From the host's own public address: one network, so its private addresses too.
    EXPECT_EQ(dialed("203.0.113.21"), (std::vector<std::string>{"10.2.0.2:4000", "[fe80::1%eth0]:4000", "127.0.0.1:1"}));
}

// A Binding padded as large as its answer, as peers send it.
std::vector<uint8_t> binding(size_t padding) {
    proto::RendezvousMessage message;
    message.mutable_binding()->set_padding(std::string(padding, '\0'));
    return rendezvous::encode(message);
}

TEST(Binding, AnswersTheSourceAndTheNatTestPortOnlyToARequestAsLarge) {
    const UdpCookies cookies;
    const PinnedKeyOf nobody = [](const std::string&) { return std::nullopt; };
    const boost::asio::ip::udp::endpoint source(make_address("192.0.2.22"), 50123);

    const auto big = binding(64);
    const auto answered = answer_datagram(big, source, 1'700'000'000, cookies, nobody, 21115);
    const auto reply = rendezvous::decode(answered.reply);
    ASSERT_TRUE(reply && reply->has_binding_reply());
    EXPECT_EQ(reply->binding_reply().observed(), "192.0.2.22:50123");
    EXPECT_EQ(reply->binding_reply().nat_test_port(), 21115u);
    EXPECT_LE(answered.reply.size(), big.size());

    const auto small = binding(0);
    const auto unanswered = answer_datagram(small, source, 1'700'000'000, cookies, nobody, 21115);
    EXPECT_TRUE(unanswered.reply.empty()) << "a reply larger than the request would amplify";
    EXPECT_EQ(unanswered.refused, refusal::kReplyTooLarge);

    const auto tested = rendezvous::decode(answer_nat_test(big, source).reply);
    ASSERT_TRUE(tested && tested->has_binding_reply());
    EXPECT_EQ(tested->binding_reply().observed(), "192.0.2.22:50123");
    EXPECT_EQ(tested->binding_reply().nat_test_port(), 0u);

    // The NAT test port answers nothing else.
    proto::RendezvousMessage registration;
    registration.mutable_register_()->set_id("123456789");
    registration.mutable_register_()->set_padding(std::string(200, '\0'));
    EXPECT_TRUE(answer_nat_test(rendezvous::encode(registration), source).reply.empty());
    EXPECT_TRUE(answer_nat_test(std::vector<uint8_t>{1, 2, 3}, source).reply.empty());
}

}  // namespace
}  // namespace tether::server
