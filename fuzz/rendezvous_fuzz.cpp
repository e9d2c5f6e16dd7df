// The rendezvous server's decisions on untrusted bytes, without sockets: a
// TCP connection's first frame, a UDP datagram (and the same datagram with a
// valid cookie, to reach the proof checks), and the lookup answers built from
// whatever a register or lookup carried. A lookup reply of any other size
// than kLookupReplySize, a reply larger than its datagram, or a message over
// 1 KiB (encode throws) is a bug.
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "server/first_frame.h"
#include "server/lookup_answer.h"
#include "server/udp_registration.h"

#include <google/protobuf/stubs/logging.h>

#include <cstdlib>

using namespace tether;

namespace {

const security::Identity& server_key() {
    static const security::Identity key = security::fresh_identity();
    return key;
}

void check(bool holds) {
    if (!holds) std::abort();
}

void answer_both_ways(const proto::Lookup& lookup, const server::OnlineHost& host) {
    const server::LookupContext context{.server = server_key(), .now_unix = 1'700'000'000};
    const std::string relay = "relay.example.net:21117";
    for (const server::OnlineHost* online : {&host, static_cast<const server::OnlineHost*>(nullptr)}) {
        const auto answer = server::answer_lookup(context, lookup,
                                                  {.host = online,
                                                   .viewer_public_addr = "192.0.2.1:6000",
                                                   .relay_for_viewer = relay,
                                                   .relay_for_host = relay,
                                                   .relay_websocket = relay + "/relay"});
        check(rendezvous::encode(answer.reply).size() == rendezvous::kLookupReplySize);
        if (online != nullptr) rendezvous::encode(answer.incoming);
    }
}

void first_frame(std::span<const uint8_t> bytes) {
    const server::FirstFrame frame = server::classify_first_frame(bytes);
    server::OnlineHost host{.id = "123456789", .key = server_key().public_key, .public_addr = "192.0.2.2:5900",
                            .lan_addrs = {}, .udp_addr = {}};
    proto::Lookup lookup;
    lookup.set_id(host.id);
    lookup.set_viewer_key(rendezvous::key_bytes(server_key().public_key));
    if (const auto* request = std::get_if<proto::Register>(&frame)) {
        host.lan_addrs.assign(request->lan_addrs().begin(), request->lan_addrs().end());
        answer_both_ways(lookup, host);
    } else if (const auto* asked = std::get_if<proto::Lookup>(&frame)) {
        answer_both_ways(*asked, host);
    }
}

void datagram(std::span<const uint8_t> bytes) {
    static const server::UdpCookies cookies(server::UdpCookies::Secret{7});
    const boost::asio::ip::udp::endpoint source(boost::asio::ip::make_address("192.0.2.3"), 40000);
    const int64_t now = 1'700'000'000;
    const server::PinnedKeyOf pinned = [](const std::string& id) -> std::optional<security::PublicKey> {
        if (id == "123456789") return server_key().public_key;
        return std::nullopt;
    };
    const auto outcome = server::answer_datagram(bytes, source, now, cookies, pinned, 21115);
    check(outcome.reply.size() <= bytes.size());

    // The same request with the cookie it would have been given.
    auto message = rendezvous::decode(bytes);
    if (!message || !message->has_register_()) return;
    const auto cookie = cookies.make(source, message->register_().id(), now);
    message->mutable_register_()->set_cookie(std::string(cookie.begin(), cookie.end()));
    if (message->ByteSizeLong() > rendezvous::kMaxMessage) return;
    const auto with_cookie = rendezvous::encode(*message);
    check(server::answer_datagram(with_cookie, source, now, cookies, pinned, 21115).reply.size() <= with_cookie.size());
}

}  // namespace

// Protobuf reports every string of invalid UTF-8 it refuses; `tether` sends that to its debug log.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    google::protobuf::SetLogHandler(nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> bytes(data, size);
    first_frame(bytes);
    datagram(bytes);
    return 0;
}
