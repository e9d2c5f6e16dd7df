#include "wire.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace tether::rendezvous {

std::vector<uint8_t> encode(const proto::RendezvousMessage& message) {
    const size_t size = message.ByteSizeLong();
    if (size > kMaxMessage) throw std::length_error("rendezvous message of " + std::to_string(size) + " bytes");
    std::vector<uint8_t> bytes(size);
    message.SerializeWithCachedSizesToArray(bytes.data());
    return bytes;
}

std::vector<uint8_t> encode_frame(const proto::RendezvousMessage& message) {
    std::vector<uint8_t> framed = encode(message);
    const auto header = frame_header(static_cast<uint32_t>(framed.size()));
    framed.insert(framed.begin(), header.begin(), header.end());
    return framed;
}

std::optional<proto::RendezvousMessage> decode(std::span<const uint8_t> bytes) {
    if (bytes.empty() || bytes.size() > kMaxMessage) return std::nullopt;
    proto::RendezvousMessage message;
    if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
    if (message.body_case() == proto::RendezvousMessage::BODY_NOT_SET) return std::nullopt;
    return message;
}

std::array<uint8_t, kFrameHeader> frame_header(uint32_t size) {
    return {static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8), static_cast<uint8_t>(size >> 16),
            static_cast<uint8_t>(size >> 24)};
}

uint32_t frame_length(std::span<const uint8_t, kFrameHeader> header) {
    return uint32_t{header[0]} | uint32_t{header[1]} << 8 | uint32_t{header[2]} << 16 | uint32_t{header[3]} << 24;
}

void pad_lookup_reply(proto::LookupReply& reply) {
    reply.clear_padding();
    proto::RendezvousMessage wrapped;
    *wrapped.mutable_lookup_reply() = reply;
    // The padding field's own tag and length take 2 or 3 bytes; settle it in two passes.
    size_t size = wrapped.ByteSizeLong();
    if (size >= kLookupReplySize) return;
    std::string padding(kLookupReplySize - size, '\0');
    for (int pass = 0; pass < 3; ++pass) {
        wrapped.mutable_lookup_reply()->set_padding(padding);
        size = wrapped.ByteSizeLong();
        if (size == kLookupReplySize) break;
        padding.resize(padding.size() + kLookupReplySize - size);
    }
    reply.set_padding(padding);
}

bool is_endpoint_text(std::string_view text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == text.size()) return false;
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) return false;
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    boost::asio::ip::make_address(std::string(host), ec);
    return !ec;
}

std::string with_default_port(const std::string& server, uint16_t port) {
    const auto colons = std::count(server.begin(), server.end(), ':');
    const std::string suffix = ":" + std::to_string(port);
    if (server.starts_with('[')) return server.find("]:") != std::string::npos ? server : server + suffix;
    if (colons > 1) return "[" + server + "]" + suffix;  // a bare IPv6 address
    return colons == 1 ? server : server + suffix;
}

}  // namespace tether::rendezvous
