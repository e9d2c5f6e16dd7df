// The rendezvous and relay servers' messages on the wire (proto/rendezvous.proto):
// at most kMaxMessage bytes each, checked before parsing; over TCP each is a
// frame with a 4-byte little-endian length, the framing transport-tcp gives
// every message, so a relay connection starts as any tether connection does.
#pragma once

#include "rendezvous.pb.h"

#include <tether/plugin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tether::rendezvous {

constexpr size_t kMaxMessage = 1024;
constexpr size_t kFrameHeader = 4;
// Every LookupReply is padded to this size, Found or NotFound alike.
constexpr size_t kLookupReplySize = 960;
constexpr int kMaxAddresses = 8;  // lan_addrs and viewer_addrs
constexpr uint16_t kDefaultRendezvousPort = 21116;
constexpr uint16_t kDefaultRelayPort = 21117;
constexpr size_t kPunchTokenSize = TETHER_PUNCH_TOKEN_SIZE;  // what transports punch with (plugin.h)

// The message alone (a UDP datagram's or a transport message's body); throws
// std::length_error past kMaxMessage, which is a bug on the sending side.
std::vector<uint8_t> encode(const proto::RendezvousMessage& message);
// With the TCP frame header.
std::vector<uint8_t> encode_frame(const proto::RendezvousMessage& message);
// nullopt for anything oversized, unparsable or empty.
std::optional<proto::RendezvousMessage> decode(std::span<const uint8_t> bytes);

std::array<uint8_t, kFrameHeader> frame_header(uint32_t size);
uint32_t frame_length(std::span<const uint8_t, kFrameHeader> header);
// One frame from a blocking socket, through `read_exactly(std::span<uint8_t>) -> bool`
// (each client keeps its own deadline); nullopt when a read fails or the frame
// is oversized, empty or unparsable. The length is checked before the body is read.
template <typename ReadExactly>
std::optional<proto::RendezvousMessage> read_frame(ReadExactly&& read_exactly) {
    std::array<uint8_t, kFrameHeader> header{};
    if (!read_exactly(std::span<uint8_t>(header))) return std::nullopt;
    const uint32_t length = frame_length(header);
    if (length == 0 || length > kMaxMessage) return std::nullopt;
    std::vector<uint8_t> body(length);
    if (!read_exactly(std::span<uint8_t>(body))) return std::nullopt;
    return decode(body);
}

// A protobuf bytes field's contents, for the byte-span APIs.
inline std::span<const uint8_t> field_bytes(const std::string& field) {
    return {reinterpret_cast<const uint8_t*>(field.data()), field.size()};
}

// Pads a reply to exactly kLookupReplySize encoded bytes.
void pad_lookup_reply(proto::LookupReply& reply);

// "ip:port" with a numeric IPv4 or [IPv6] address and a port 1-65535.
bool is_endpoint_text(std::string_view text);
// "host[:port]" as users write a server, with the default port filled in.
std::string with_default_port(const std::string& server, uint16_t port);

}  // namespace tether::rendezvous
