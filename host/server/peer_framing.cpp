#include "peer_framing.h"

#include "rendezvous/wire.h"

namespace tether::server {

using websocket::Opcode;

std::vector<uint8_t> framed(Framing framing, std::span<const uint8_t> body) {
    std::vector<uint8_t> bytes;
    if (framing == Framing::LengthPrefixed) {
        const auto header = rendezvous::frame_header(static_cast<uint32_t>(body.size()));
        bytes.assign(header.begin(), header.end());
    } else {
        const auto header = websocket::encode_header(Opcode::Binary, body.size());
        bytes.assign(header.view().begin(), header.view().end());
    }
    bytes.insert(bytes.end(), body.begin(), body.end());
    return bytes;
}

std::vector<uint8_t> framed(Framing framing, const proto::RendezvousMessage& message) {
    return framed(framing, rendezvous::encode(message));
}

std::vector<uint8_t> control_frame(Opcode opcode, std::span<const uint8_t> payload) {
    const auto header = websocket::encode_header(opcode, payload.size());
    std::vector<uint8_t> bytes(header.view().begin(), header.view().end());
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return bytes;
}

std::vector<uint8_t> normal_close() {
    constexpr std::array<uint8_t, 2> kNormal = {0x03, 0xe8};  // 1000, big-endian
    return control_frame(Opcode::Close, kNormal);
}

size_t FrameHeaderReader::needed() const {
    if (framing_ == Framing::LengthPrefixed) return rendezvous::kFrameHeader;
    return have_ < websocket::kMinHeader ? websocket::kMinHeader : websocket::header_size(bytes_[0], bytes_[1]);
}

std::span<uint8_t> FrameHeaderReader::space() { return {bytes_.data() + have_, needed() - have_}; }

std::optional<FrameHeaderReader::Outcome> FrameHeaderReader::advance(size_t count) {
    have_ += count;
    // Two bytes of a WebSocket header may announce more.
    if (have_ < needed()) return std::nullopt;
    return parse();
}

FrameHeaderReader::Outcome FrameHeaderReader::parse() const {
    const std::span<const uint8_t> header(bytes_.data(), have_);
    if (framing_ == Framing::LengthPrefixed)
        return FrameStart{Opcode::Binary, rendezvous::frame_length(header.first<rendezvous::kFrameHeader>()), {}};
    const auto parsed = websocket::parse_client_header(header);
    if (const auto* why = std::get_if<std::string_view>(&parsed)) return *why;
    const auto& frame = std::get<websocket::FrameHeader>(parsed);
    if (!websocket::is_control(frame.opcode) && (frame.opcode != Opcode::Binary || !frame.fin))
        return std::string_view("a message in several frames or as text (one binary frame a message)");
    return FrameStart{frame.opcode, frame.length, frame.mask};
}

}  // namespace tether::server
