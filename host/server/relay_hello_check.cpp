#include "relay_hello_check.h"

#include "rendezvous/signatures.h"

namespace tether::server {

using rendezvous::kFrameHeader;

std::variant<size_t, RelayRefusal> hello_body_size(std::span<const uint8_t, kFrameHeader> header) {
    const uint32_t size = rendezvous::frame_length(header);
    if (size == 0) return RelayRefusal{"malformed hello"};
    if (size > rendezvous::kMaxMessage) return RelayRefusal{"oversized hello"};
    return size_t{size};
}

std::variant<proto::RelayHello, RelayRefusal> check_hello_frame(std::span<const uint8_t> frame,
                                                                 const security::PublicKey& rendezvous_key,
                                                                 int64_t now_unix) {
    if (frame.size() < kFrameHeader) return RelayRefusal{"truncated hello"};
    const auto size = hello_body_size(frame.first<kFrameHeader>());
    if (const auto* refused = std::get_if<RelayRefusal>(&size)) return *refused;
    if (frame.size() != kFrameHeader + std::get<size_t>(size)) return RelayRefusal{"truncated hello"};
    auto message = rendezvous::decode(frame.subspan(kFrameHeader));
    if (!message) return RelayRefusal{"malformed hello"};
    if (!message->has_relay_hello()) return RelayRefusal{"not a relay hello"};
    if (auto refused = rendezvous::check_relay_hello(rendezvous_key, message->relay_hello(), now_unix))
        return RelayRefusal{*refused, true};
    return std::move(*message->mutable_relay_hello());
}

}  // namespace tether::server
