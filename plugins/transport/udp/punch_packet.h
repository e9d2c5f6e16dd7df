// The punch packets two peers send each other to open a path through their
// NATs, on the same sockets as ENet:
//
//   0  4  magic "TPUN"
//   4  1  version (1)
//   5  1  kind: 1 probe (answer me), 2 answer; 3 cookie, 4 cookie echo
//   6  2  zero
//   8 16  the punch's token, shared by both peers through the rendezvous server;
//         for a cookie and its echo, the cookie (connect_cookie.h)
//
// Exactly 24 bytes. The magic's first byte sets the bit of ENet's header that
// marks a compressed datagram, which this transport never sends, so no ENet
// datagram of ours starts like a punch packet.
#pragma once

#include <tether/plugin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tether::udp {

constexpr size_t kTokenSize = TETHER_PUNCH_TOKEN_SIZE;
using Token = std::array<uint8_t, kTokenSize>;

enum class PunchKind : uint8_t { probe = 1, answer = 2, cookie = 3, cookie_echo = 4 };

struct PunchPacket {
    PunchKind kind = PunchKind::probe;
    Token token{};
};

constexpr size_t kPunchPacketSize = 24;
using PunchBytes = std::array<uint8_t, kPunchPacketSize>;

PunchBytes encode_punch(const PunchPacket& packet);
// True when the datagram starts as a punch packet does: it is ours, valid or not.
bool has_punch_magic(std::span<const uint8_t> datagram);
// The packet, when every byte of it checks out; nullopt otherwise.
std::optional<PunchPacket> decode_punch(std::span<const uint8_t> datagram);

// Compares in time independent of where they differ.
bool same_token(const Token& a, const Token& b);
// The word a punched ENet connect carries (wire.h), so the acceptor admits
// only a connect that knows the token.
uint32_t connect_data_of(const Token& token);

}  // namespace tether::udp
