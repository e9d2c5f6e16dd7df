// One small message from a peer, whole (a rendezvous message, a relay hello),
// in either framing, through exact reads: what follows it stays in the
// socket. Its length is checked before its body is allocated; a WebSocket
// ping's payload is kept for the pong; a pong is skipped.
#pragma once

#include "peer_framing.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tether::server {

class MessageDecoder {
public:
    enum class State { Reading, Message, Ping, Closed, Empty, Oversized, Broken };

    MessageDecoder(Framing framing, size_t max) : header_(framing), max_(max) {}

    // Where the next read lands; its size is exactly what is missing (never 0 while Reading).
    std::span<uint8_t> space();
    // `count` bytes landed at space().
    State advance(size_t count);
    // Message: the body; Ping: its payload. Unmasked.
    std::span<const uint8_t> body() const { return body_; }
    std::string_view broken() const { return why_; }  // Broken: why
    // Ready for the next message; the body's memory goes.
    void reset();

private:
    State finish_frame();

    FrameHeaderReader header_;
    const size_t max_;
    std::optional<FrameStart> frame_;
    std::vector<uint8_t> body_;
    size_t have_ = 0;
    std::string_view why_;
};

// Reads one message of `decoder` from `socket`, calling done(state) once it
// is whole or refused, or Closed when the socket ends or fails first.
// `done` must keep the decoder's owner alive.
template <typename Socket>
void read_message(Socket& socket, MessageDecoder& decoder, std::function<void(MessageDecoder::State)> done) {
    const std::span<uint8_t> space = decoder.space();
    boost::asio::async_read(socket, boost::asio::buffer(space.data(), space.size()),
                            [&socket, &decoder, done = std::move(done)](const boost::system::error_code& ec,
                                                                        size_t count) mutable {
                                if (ec) return done(MessageDecoder::State::Closed);
                                const MessageDecoder::State state = decoder.advance(count);
                                if (state == MessageDecoder::State::Reading)
                                    return read_message(socket, decoder, std::move(done));
                                done(state);
                            });
}

}  // namespace tether::server
