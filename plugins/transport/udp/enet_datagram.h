// A first look at a datagram as ENet would read it, before ENet does: whom
// it is for, whether it opens a connection and with what data, and the
// largest message it announces. The transport decides from this whether ENet
// may see it at all (a stranger's connect to a port, a message over the
// receiver's limit are dropped before ENet allocates for them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tether::udp {

// The peer ID of a datagram from a peer that has no slot yet: only a connect.
constexpr uint16_t kNoPeer = 0xFFF;

struct EnetDatagram {
    uint16_t peer_id = kNoPeer;  // the receiver's slot for the sender
    size_t checksum_at = 0;      // where the header's checksum sits
    std::optional<uint32_t> connect_data;  // its first command is a connect carrying this
    uint32_t connect_id = 0;               // and this connect ID, as ENet keeps it
    // The largest message size any send command in it announces: a whole
    // message's for a fragment, the command's own bytes otherwise.
    uint32_t largest_message = 0;
    uint32_t sends = 0;  // send commands (of any kind) in it
    // A fragment claiming more pieces than its message has bytes, or a piece
    // past the count: ENet 1.3 refuses that for reliable fragments only, and
    // for an unreliable one allocates a bitmap of the claimed count (128 KiB
    // for a one-byte message in 2^20 pieces).
    bool unsound_fragment = false;
};

// Reads as ENet does (ENet 1.3 with its CRC-32 checksum and without
// compression, as this transport runs it) and stops where ENet would stop.
// Nullopt when the datagram is too short for a header or says it is compressed.
std::optional<EnetDatagram> read_enet_datagram(std::span<const uint8_t> bytes);

// Whether the checksum holds for a datagram from the peer whose connection
// has `connect_id` (0 for a connect), as ENet checks it: a stranger who did
// not see the connection's connect cannot forge one.
bool checksum_holds(std::span<const uint8_t> bytes, const EnetDatagram& datagram, uint32_t connect_id);

}  // namespace tether::udp
