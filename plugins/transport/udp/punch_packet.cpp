#include "punch_packet.h"

#include <algorithm>

namespace tether::udp {
namespace {

constexpr std::array<uint8_t, 4> kMagic = {'T', 'P', 'U', 'N'};
constexpr uint8_t kVersion = 1;
constexpr size_t kVersionAt = 4;
constexpr size_t kKindAt = 5;
constexpr size_t kReservedAt = 6;
constexpr size_t kTokenAt = 8;
static_assert(kTokenAt + kTokenSize == kPunchPacketSize);

}  // namespace

PunchBytes encode_punch(const PunchPacket& packet) {
    PunchBytes bytes{};
    std::copy(kMagic.begin(), kMagic.end(), bytes.begin());
    bytes[kVersionAt] = kVersion;
    bytes[kKindAt] = static_cast<uint8_t>(packet.kind);
    std::copy(packet.token.begin(), packet.token.end(), bytes.begin() + kTokenAt);
    return bytes;
}

bool has_punch_magic(std::span<const uint8_t> datagram) {
    return datagram.size() >= kMagic.size() && std::equal(kMagic.begin(), kMagic.end(), datagram.begin());
}

std::optional<PunchPacket> decode_punch(std::span<const uint8_t> datagram) {
    if (datagram.size() != kPunchPacketSize || !has_punch_magic(datagram) || datagram[kVersionAt] != kVersion ||
        datagram[kReservedAt] != 0 || datagram[kReservedAt + 1] != 0)
        return std::nullopt;
    PunchPacket packet;
    const uint8_t kind = datagram[kKindAt];
    if (kind < static_cast<uint8_t>(PunchKind::probe) || kind > static_cast<uint8_t>(PunchKind::cookie_echo))
        return std::nullopt;
    packet.kind = static_cast<PunchKind>(kind);
    std::copy_n(datagram.begin() + kTokenAt, kTokenSize, packet.token.begin());
    return packet;
}

bool same_token(const Token& a, const Token& b) {
    uint8_t difference = 0;
    for (size_t i = 0; i < kTokenSize; ++i) difference |= static_cast<uint8_t>(a[i] ^ b[i]);
    return difference == 0;
}

uint32_t connect_data_of(const Token& token) {
    return uint32_t{token[0]} << 24 | uint32_t{token[1]} << 16 | uint32_t{token[2]} << 8 | uint32_t{token[3]};
}

}  // namespace tether::udp
