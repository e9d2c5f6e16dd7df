#include "enet_datagram.h"

#include <enet/enet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

namespace tether::udp {
namespace {

// ENet's own table (protocol.c): each command's fixed size by number; 0 ends the datagram.
constexpr std::array<size_t, ENET_PROTOCOL_COMMAND_COUNT> kCommandSizes = {
    0,
    sizeof(ENetProtocolAcknowledge),
    sizeof(ENetProtocolConnect),
    sizeof(ENetProtocolVerifyConnect),
    sizeof(ENetProtocolDisconnect),
    sizeof(ENetProtocolPing),
    sizeof(ENetProtocolSendReliable),
    sizeof(ENetProtocolSendUnreliable),
    sizeof(ENetProtocolSendFragment),
    sizeof(ENetProtocolSendUnsequenced),
    sizeof(ENetProtocolBandwidthLimit),
    sizeof(ENetProtocolThrottleConfigure),
    sizeof(ENetProtocolSendFragment),
};

uint16_t read16(const uint8_t* at) { return static_cast<uint16_t>(at[0] << 8 | at[1]); }
uint32_t read32(const uint8_t* at) {
    return uint32_t{at[0]} << 24 | uint32_t{at[1]} << 16 | uint32_t{at[2]} << 8 | uint32_t{at[3]};
}

// Where a send command's payload length sits, or 0 for a command without payload.
size_t length_field(uint8_t command) {
    switch (command) {
    case ENET_PROTOCOL_COMMAND_SEND_RELIABLE: return offsetof(ENetProtocolSendReliable, dataLength);
    case ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE: return offsetof(ENetProtocolSendUnreliable, dataLength);
    case ENET_PROTOCOL_COMMAND_SEND_UNSEQUENCED: return offsetof(ENetProtocolSendUnsequenced, dataLength);
    case ENET_PROTOCOL_COMMAND_SEND_FRAGMENT:
    case ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE_FRAGMENT: return offsetof(ENetProtocolSendFragment, dataLength);
    default: return 0;
    }
}

bool is_fragment(uint8_t command) {
    return command == ENET_PROTOCOL_COMMAND_SEND_FRAGMENT || command == ENET_PROTOCOL_COMMAND_SEND_UNRELIABLE_FRAGMENT;
}

}  // namespace

std::optional<EnetDatagram> read_enet_datagram(std::span<const uint8_t> bytes) {
    constexpr size_t kShortHeader = offsetof(ENetProtocolHeader, sentTime);
    if (bytes.size() < kShortHeader) return std::nullopt;
    const uint16_t word = read16(bytes.data());
    if (word & ENET_PROTOCOL_HEADER_FLAG_COMPRESSED) return std::nullopt;
    EnetDatagram datagram;
    datagram.checksum_at = (word & ENET_PROTOCOL_HEADER_FLAG_SENT_TIME) ? sizeof(ENetProtocolHeader) : kShortHeader;
    const size_t header = datagram.checksum_at + sizeof(enet_uint32);
    if (bytes.size() < header) return std::nullopt;
    datagram.peer_id = word & ~(ENET_PROTOCOL_HEADER_FLAG_MASK | ENET_PROTOCOL_HEADER_SESSION_MASK);
    size_t at = header;
    for (bool first = true; bytes.size() - at >= sizeof(ENetProtocolCommandHeader); first = false) {
        const uint8_t command = bytes[at] & ENET_PROTOCOL_COMMAND_MASK;
        if (command >= ENET_PROTOCOL_COMMAND_COUNT) break;
        const size_t size = kCommandSizes[command];
        if (size == 0 || bytes.size() - at < size) break;
        const uint8_t* fields = bytes.data() + at;
        at += size;
        if (command == ENET_PROTOCOL_COMMAND_CONNECT && first) {
            datagram.connect_data = read32(fields + offsetof(ENetProtocolConnect, data));
            std::memcpy(&datagram.connect_id, fields + offsetof(ENetProtocolConnect, connectID), sizeof datagram.connect_id);
        }
        if (datagram.peer_id == kNoPeer) break;  // ENet reads nothing after a peerless datagram's first command
        const size_t length_at = length_field(command);
        if (length_at == 0) continue;
        const uint16_t length = read16(fields + length_at);
        ++datagram.sends;
        const uint32_t message = is_fragment(command) ? read32(fields + offsetof(ENetProtocolSendFragment, totalLength)) : length;
        datagram.largest_message = std::max(datagram.largest_message, message);
        if (is_fragment(command)) {
            const uint32_t pieces = read32(fields + offsetof(ENetProtocolSendFragment, fragmentCount));
            const uint32_t piece = read32(fields + offsetof(ENetProtocolSendFragment, fragmentNumber));
            if (pieces > message || piece >= pieces) datagram.unsound_fragment = true;
        }
        if (bytes.size() - at < length) break;
        at += length;
    }
    return datagram;
}

bool checksum_holds(std::span<const uint8_t> bytes, const EnetDatagram& datagram, uint32_t connect_id) {
    enet_uint32 sent;
    std::memcpy(&sent, bytes.data() + datagram.checksum_at, sizeof sent);
    // The sum runs over the datagram with the connect ID where the checksum sits, read in place.
    const size_t after = datagram.checksum_at + sizeof sent;
    const ENetBuffer buffers[] = {
        {.data = const_cast<uint8_t*>(bytes.data()), .dataLength = datagram.checksum_at},
        {.data = &connect_id, .dataLength = sizeof connect_id},
        {.data = const_cast<uint8_t*>(bytes.data() + after), .dataLength = bytes.size() - after},
    };
    return enet_crc32(buffers, std::size(buffers)) == sent;
}

}  // namespace tether::udp
