#include "lookup_answer.h"

#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

namespace tether::server {
namespace {

// The lists are bounded by what first_frame admits, so these trim nothing in
// practice; they keep a reply within its size whatever changes upstream.
void fit_found(proto::RendezvousMessage& reply) {
    auto& lan_addrs = *reply.mutable_lookup_reply()->mutable_found()->mutable_lan_addrs();
    while (reply.ByteSizeLong() > rendezvous::kLookupReplySize && !lan_addrs.empty()) lan_addrs.RemoveLast();
}

void fit_incoming(proto::RendezvousMessage& incoming) {
    auto& viewer_addrs = *incoming.mutable_incoming()->mutable_viewer_addrs();
    while (incoming.ByteSizeLong() > rendezvous::kMaxMessage && !viewer_addrs.empty()) viewer_addrs.RemoveLast();
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
    fit_found(answer.reply);
    rendezvous::pad_lookup_reply(reply);

    auto& incoming = *answer.incoming.mutable_incoming();
    if (!parties.viewer_public_addr.empty()) *incoming.add_viewer_addrs() = parties.viewer_public_addr;
    for (const auto& address : lookup.viewer_addrs()) *incoming.add_viewer_addrs() = address;
    incoming.set_relay(parties.relay_for_host);
    *incoming.mutable_relay_token() = token;
    fit_incoming(answer.incoming);
    return answer;
}

}  // namespace tether::server
