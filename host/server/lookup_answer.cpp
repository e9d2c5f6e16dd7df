#include "lookup_answer.h"

#include "endpoint_text.h"
#include "rendezvous/host_port_text.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

#include <boost/asio/ip/address.hpp>
#include <sodium.h>

namespace tether::server {
namespace {

// The lists are bounded by what first_frame admits; only eight of the longest
// IPv6 addresses with both UDP ports lose the last address. They keep a reply
// within its size whatever changes upstream.
void fit_found(proto::RendezvousMessage& reply) {
    // Room for the smallest padding (a tag, a length, one byte): an exact size is always reachable.
    constexpr size_t kRoom = rendezvous::kLookupReplySize - 3;
    auto& lan_addrs = *reply.mutable_lookup_reply()->mutable_found()->mutable_lan_addrs();
    while (reply.ByteSizeLong() > kRoom && !lan_addrs.empty()) lan_addrs.RemoveLast();
}

void fit_incoming(proto::RendezvousMessage& incoming) {
    auto& viewer_addrs = *incoming.mutable_incoming()->mutable_viewer_addrs();
    while (incoming.ByteSizeLong() > rendezvous::kMaxMessage && !viewer_addrs.empty()) viewer_addrs.RemoveLast();
}

// "ip" of "ip:port" or "[ip]:port", as the server writes a source; "" for text that is not one.
std::string ip_of(std::string_view endpoint) {
    try {
        return rendezvous::split_host_port(endpoint).host;
    } catch (const std::invalid_argument&) {
        return {};
    }
}

// The viewer's own UDP port only: naming another address would have the host
// punch, and probe ports, at a third party.
bool is_viewers_own(const proto::UdpCandidate& candidate, const std::string& viewer_source) {
    if (!rendezvous::is_endpoint_text(candidate.addr()) || viewer_source.empty()) return false;
    return ip_of(candidate.addr()) == viewer_source;
}

// An address of a private network (RFC 1918, shared, link-local, loopback, unique local):
// one that only a peer on the same network could mean.
bool is_private(std::string_view ip) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(ip.substr(0, ip.find('%'))), ec);
    if (ec) return false;
    if (address.is_v6()) {
        const auto v6 = address.to_v6();
        return v6.is_loopback() || v6.is_link_local() || (v6.to_bytes()[0] & 0xfe) == 0xfc;
    }
    const uint32_t v4 = address.to_v4().to_uint();
    const auto in = [v4](uint32_t net, int bits) { return (v4 >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x0a000000, 8) || in(0xac100000, 12) || in(0xc0a80000, 16) || in(0x64400000, 10) ||
           in(0xa9fe0000, 16) || in(0x7f000000, 8);
}

// Where the host may dial the viewer: at the viewer's own address, or, when
// both come from one public address (one network behind one NAT), at a
// private one. Anything else would have the host dial, and punch from its
// port, at a third party the viewer names.
bool host_may_dial(const std::string& address, const std::string& viewer_source, bool same_network) {
    if (!rendezvous::is_endpoint_text(address) || viewer_source.empty()) return false;
    const std::string ip = ip_of(address);
    return ip == viewer_source || (same_network && is_private(ip));
}

std::string fresh_punch_token() {
    std::string token(rendezvous::kPunchTokenSize, '\0');
    randombytes_buf(token.data(), token.size());
    return token;
}

}  // namespace

LookupAnswer answer_lookup(const LookupContext& context, const proto::Lookup& lookup, const LookupParties& parties) {
    // Not found, the server's own key stands in for the host's: the same two signatures either way.
    const OnlineHost* host = parties.host;
    const security::PublicKey& host_key = host != nullptr ? host->key : context.server.public_key;
    const auto viewer_key = rendezvous::key_from_bytes(lookup.viewer_key()).value_or(security::PublicKey{});
    const auto voucher = rendezvous::make_voucher(context.server, lookup.id(), host_key,
                                                  context.now_unix + context.voucher_lifetime.count());
    const auto token = rendezvous::make_relay_token(context.server, host_key, viewer_key,
                                                    context.now_unix + context.token_lifetime.count());

    LookupAnswer answer;
    auto& reply = *answer.reply.mutable_lookup_reply();
    reply.set_server_key(rendezvous::key_bytes(context.server.public_key));  // what the viewer pins or checks
    if (host == nullptr) {
        reply.mutable_not_found();
        rendezvous::pad_lookup_reply(reply);
        return answer;
    }
    auto& found = *reply.mutable_found();
    *found.mutable_voucher() = voucher;
    found.set_public_addr(host->public_addr);
    for (const auto& address : host->lan_addrs) *found.add_lan_addrs() = address;
    found.set_relay(parties.relay_for_viewer);
    *found.mutable_relay_token() = token;
    const bool punch = !host->udp_addr.empty() && lookup.has_viewer_udp() &&
                       is_viewers_own(lookup.viewer_udp(), parties.viewer_source);
    const std::string punch_token = punch ? fresh_punch_token() : std::string();
    if (punch) {
        found.mutable_host_udp()->set_addr(host->udp_addr);
        found.mutable_host_udp()->set_varies(host->udp_varies);
        found.set_punch_token(punch_token);
    }
    found.set_relay_websocket(parties.relay_websocket);
    fit_found(answer.reply);
    rendezvous::pad_lookup_reply(reply);

    auto& incoming = *answer.incoming.mutable_incoming();
    if (!parties.viewer_public_addr.empty()) *incoming.add_viewer_addrs() = parties.viewer_public_addr;
    const bool same_network = !parties.viewer_source.empty() && ip_of(host->public_addr) == parties.viewer_source;
    for (const auto& address : lookup.viewer_addrs())
        if (host_may_dial(address, parties.viewer_source, same_network)) *incoming.add_viewer_addrs() = address;
    incoming.set_relay(parties.relay_for_host);
    *incoming.mutable_relay_token() = token;
    if (punch) {
        *incoming.mutable_viewer_udp() = lookup.viewer_udp();
        incoming.set_punch_token(punch_token);
    }
    incoming.set_relay_websocket(parties.relay_websocket);
    fit_incoming(answer.incoming);
    return answer;
}

}  // namespace tether::server
