// One direction of a relayed session between peers of different framings
// (or two WebSocket peers): each incoming frame's header is read exactly and
// becomes the outgoing framing's header, its payload streams through a
// bounded buffer (unmasked on the way), so no message is ever held whole
// and a 16 MiB message costs what a 64-byte one does. WebSocket control
// frames stop here: a close is the source's end, a ping is answered with a
// pong by the reverse direction, which writes to that peer.
#pragma once

#include "copy_channel.h"
#include "peer_framing.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace tether::server {

class ReframingChannel final : public ByteChannel {
public:
    // The largest message relayed between framings: the transports' own limit.
    static constexpr uint64_t kMaxMessage = 16u << 20;
    // Control frames one after another without a message between them: a
    // peer over this is flooding, not keeping a connection alive.
    static constexpr size_t kMaxControlRun = 64;

    ReframingChannel(CopyPool& pool, Framing in, Framing out) : pool_(pool), out_(out), header_(in) {}
    ~ReframingChannel() override;
    ReframingChannel(const ReframingChannel&) = delete;
    ReframingChannel& operator=(const ReframingChannel&) = delete;

    // The channel that writes to this one's source, which answers its pings.
    void answer_pings_through(ReframingChannel& reverse) { reverse_ = &reverse; }

    size_t held() const override { return end_ - begin_; }
    Moved fill(int from, size_t max) override;
    Moved drain(int to) override;
    bool end_output() override;  // a WebSocket close, between frames

    // A pong to the peer this channel writes to (socket `to`): sent at once
    // when nothing of ours is in flight there, else at the next frame
    // boundary; a newer ping's pong replaces one still waiting (RFC 6455, 5.5.3).
    void pong(std::span<const uint8_t> payload, int to);

private:
    Moved read_header(int from);
    Moved read_payload(int from, size_t max);
    Moved read_control(int from);
    void hold(std::span<const uint8_t> bytes);
    void release_if_empty();

    CopyPool& pool_;
    const Framing out_;
    FrameHeaderReader header_;
    std::optional<FrameStart> frame_;  // the incoming frame whose payload is under way
    uint64_t payload_done_ = 0;
    std::array<uint8_t, websocket::kMaxControlPayload> control_{};
    size_t control_run_ = 0;
    std::unique_ptr<uint8_t[]> buffer_;
    size_t begin_ = 0;  // into buffer_: written already
    size_t end_ = 0;
    bool mid_output_frame_ = false;         // a frame's header is out and its payload not yet all
    std::vector<uint8_t> pending_control_;  // a pong waiting for a frame boundary
    ReframingChannel* reverse_ = nullptr;
};

}  // namespace tether::server
