// The reasons ServerMetrics::refuse counts for the rendezvous server and the
// WebSocket gateway: a short fixed set, so the metric's label never grows
// with what strangers send.
#pragma once

#include <string_view>

namespace tether::server::refusal {

constexpr std::string_view kMalformed = "malformed";          // unparsable, or a message out of place
constexpr std::string_view kOversized = "oversized";          // a frame or datagram over kMaxMessage
constexpr std::string_view kTimeout = "timeout";              // silent too long before its first frame
constexpr std::string_view kRate = "rate";                    // over its source's token bucket
constexpr std::string_view kBadProof = "bad proof";           // a registration not signed by its key
constexpr std::string_view kKeyPinnedToAnother = "key pinned to another";
constexpr std::string_view kNotItsId = "id not of key";       // a new ID its key does not derive
constexpr std::string_view kNotPinned = "not pinned";         // a UDP registration for an ID nobody pinned
constexpr std::string_view kRelayAnnounceRefused = "relay announce refused";
constexpr std::string_view kTooManyConnections = "too many connections";
constexpr std::string_view kReplyTooLarge = "reply too large";  // a datagram smaller than its answer
constexpr std::string_view kBacklog = "backlog";                 // a peer that does not read what it is sent
constexpr std::string_view kRegistry = "registry";               // the registry file failed
constexpr std::string_view kBadUpgrade = "bad upgrade";          // not a WebSocket upgrade we take, or garbage
constexpr std::string_view kUnknownPath = "unknown path";        // an upgrade to a path not served
constexpr std::string_view kUpgradeTimeout = "upgrade timeout";  // no whole upgrade request in time

}  // namespace tether::server::refusal
