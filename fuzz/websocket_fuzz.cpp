// What the servers' WebSocket port parses, as a stranger sends it (the first
// byte picks which, and how the bytes arrive): the upgrade request, read in
// pieces by UpgradeRequest, whose HTTP parsing is Beast's; small messages in
// either framing, read by the MessageDecoder the rendezvous server and the
// relay read with; and a relayed stream translated by a ReframingChannel
// between two socket pairs, as the relay runs it. Every answer to a request
// is an HTTP response, a 101 exactly for a path served; decoded messages
// keep their bounds; a translated stream is whole frames of its new framing.
#include "decoder_feed.h"
#include "rendezvous/wire.h"
#include "server/reframing_channel.h"
#include "server/refusal_reasons.h"
#include "server/websocket_handshake.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>
#include <vector>

using namespace tether;
using server::Framing;
using server::MessageDecoder;

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

void upgrade_request(std::span<const uint8_t> input, size_t piece) {
    const std::vector<std::string> served = {"/relay", "/rendezvous"};
    server::UpgradeRequest request(served);
    while (!input.empty()) {
        const size_t n = std::min(piece, input.size());
        const auto answer = request.feed(input.first(n));
        input = input.subspan(n);
        if (!answer) continue;
        check(answer->response.starts_with("HTTP/1.1 "));
        if (answer->path.empty()) {
            check(answer->refusal == server::refusal::kBadUpgrade || answer->refusal == server::refusal::kUnknownPath);
            check(!answer->response.starts_with("HTTP/1.1 101"));
        } else {
            check(answer->refusal.empty());
            check(answer->response.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
            check(std::find(served.begin(), served.end(), answer->path) != served.end());
        }
        return;
    }
}

// Message after message, as a rendezvous connection reads them.
void small_messages(std::span<const uint8_t> input, Framing framing) {
    MessageDecoder decoder(framing, rendezvous::kMaxMessage);
    for (;;) {
        const auto state = fuzz::feed_decoder(decoder, input);
        if (state == MessageDecoder::State::Message)
            check(!decoder.body().empty() && decoder.body().size() <= rendezvous::kMaxMessage);
        else if (state == MessageDecoder::State::Ping)
            check(decoder.body().size() <= server::websocket::kMaxControlPayload);
        else
            return;
        decoder.reset();
    }
}

struct SocketPair {
    SocketPair() {
        check(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        for (const int fd : fds) fcntl(fd, F_SETFL, O_NONBLOCK);
    }
    ~SocketPair() {
        for (const int fd : fds) close(fd);
    }
    int fds[2];
};

std::vector<uint8_t> read_all(int fd) {
    std::vector<uint8_t> out;
    std::array<uint8_t, 4096> chunk;
    for (ssize_t n; (n = recv(fd, chunk.data(), chunk.size(), 0)) > 0;) out.insert(out.end(), chunk.begin(), chunk.begin() + n);
    return out;
}

// What the relay sends a peer is whole frames of the peer's framing, bar one cut short by a failure.
void check_frames(std::span<const uint8_t> out, Framing framing, bool failed) {
    while (!out.empty()) {
        uint64_t header = 4, length = 0;
        if (framing == Framing::LengthPrefixed) {
            if (out.size() < 4) return check(failed);
            length = rendezvous::frame_length(out.first<4>());
        } else {
            if (out.size() < 2) return check(failed);
            check(out[0] & 0x80);                  // fin: one frame a message
            check((out[1] & 0x80) == 0);           // a server does not mask
            const uint8_t opcode = out[0] & 0x0f;  // messages, pongs, a close
            check(opcode == 0x2 || opcode == 0xa || opcode == 0x8);
            const uint8_t short_length = out[1] & 0x7f;
            header = 2 + (short_length == 126 ? 2 : short_length == 127 ? 8 : 0);
            if (out.size() < header) return check(failed);
            length = short_length;
            if (header > 2) {
                length = 0;
                for (size_t i = 2; i < header; ++i) length = length << 8 | out[i];
            }
        }
        check(length <= server::ReframingChannel::kMaxMessage);
        if (out.size() < header + length) return check(failed);
        out = out.subspan(static_cast<size_t>(header + length));
    }
}

void relayed(std::span<const uint8_t> input, Framing in, Framing out) {
    SocketPair from, to;
    // Whole, then the sender's end: a fuzz input fits a socket's buffer.
    check(send(from.fds[0], input.data(), input.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(input.size()));
    shutdown(from.fds[0], SHUT_WR);
    server::CopyPool pool(false);
    server::ReframingChannel forward(pool, in, out);
    server::ReframingChannel back(pool, out, in);  // writes to the source: its pongs
    forward.answer_pings_through(back);
    std::vector<uint8_t> written;
    bool failed = false, ended = false;
    for (int step = 0; step < 100'000 && !failed; ++step) {
        if (forward.held() > 0) {
            failed = forward.drain(to.fds[0]).status == server::Moved::Failed;
            const auto piece = read_all(to.fds[1]);
            written.insert(written.end(), piece.begin(), piece.end());
            continue;
        }
        if (ended) break;
        const auto moved = forward.fill(from.fds[1], 1 << 20);
        if (moved.status == server::Moved::End) {
            ended = true;
            forward.end_output();
        } else if (moved.status == server::Moved::Failed) {
            failed = true;
        } else if (moved.status == server::Moved::WouldBlock) {
            break;
        }
    }
    check_frames(written, out, failed || !ended);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t mode = data[0];
    const std::span<const uint8_t> input(data + 1, size - 1);
    switch (mode % 6) {
    case 0: upgrade_request(input, 1 + mode / 6 % 64); break;
    case 1: small_messages(input, Framing::WebSocket); break;
    case 2: small_messages(input, Framing::LengthPrefixed); break;
    case 3: relayed(input, Framing::WebSocket, Framing::LengthPrefixed); break;
    case 4: relayed(input, Framing::LengthPrefixed, Framing::WebSocket); break;
    case 5: relayed(input, Framing::WebSocket, Framing::WebSocket); break;
    }
    return 0;
}
