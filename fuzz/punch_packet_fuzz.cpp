// What a UDP port does with a stranger's datagram before ENet sees it
// (plugins/transport/udp): the punch packet decoder and the reader that
// sorts ENet datagrams. A decoded punch packet is exactly its encoding; any
// kind and token survive encoding and decoding; a datagram with the punch
// magic is never read as ENet's business; the ENet reader stays within the
// datagram (ASan) and reports a connect only where one fits.
#include "enet_datagram.h"
#include "punch_packet.h"

#include <enet/enet.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>

using namespace tether::udp;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "%s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::span<const uint8_t> datagram(data, size);

    if (const auto packet = decode_punch(datagram)) {
        if (!has_punch_magic(datagram)) fail("decoded a packet without the magic");
        const PunchBytes again = encode_punch(*packet);
        if (!std::equal(again.begin(), again.end(), datagram.begin(), datagram.end()))
            fail("a decoded packet encodes to other bytes");
    }
    if (size > kTokenSize) {
        PunchPacket chosen{data[kTokenSize] & 1 ? PunchKind::answer : PunchKind::probe, {}};
        std::copy_n(data, kTokenSize, chosen.token.begin());
        const auto back = decode_punch(encode_punch(chosen));
        if (!back || back->kind != chosen.kind || !same_token(back->token, chosen.token))
            fail("an encoded packet does not decode to itself");
    }

    if (const auto enet = read_enet_datagram(datagram)) {
        if (enet->peer_id > kNoPeer) fail("a peer ID wider than ENet's 12 bits");
        if (enet->connect_data && size < 2 + sizeof(enet_uint32) + sizeof(ENetProtocolConnect))
            fail("a connect longer than the datagram");
        if (enet->checksum_at + sizeof(enet_uint32) > size) fail("a checksum past the datagram's end");
        checksum_holds(datagram, *enet, 0);
    }
    return 0;
}
