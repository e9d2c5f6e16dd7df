#include "reframing_channel.h"

#include "rendezvous/wire.h"

#include <sys/socket.h>

#include <algorithm>

namespace tether::server {

using websocket::Opcode;

ReframingChannel::~ReframingChannel() {
    if (buffer_) pool_.give_back(std::move(buffer_));
}

Moved ReframingChannel::fill(int from, size_t max) {
    // A pong that waited for a frame boundary goes before the next frame.
    if (!mid_output_frame_ && !pending_control_.empty()) {
        hold(pending_control_);
        pending_control_.clear();
    }
    Moved moved;
    if (!frame_)
        moved = read_header(from);
    else if (websocket::is_control(frame_->opcode))
        moved = read_control(from);
    else
        moved = read_payload(from, max);
    // Held bytes (a pong) go out even when the source has nothing now.
    if (moved.status == Moved::WouldBlock && held() > 0) return {Moved::Progress, 0};
    release_if_empty();
    return moved;
}

Moved ReframingChannel::read_header(int from) {
    const std::span<uint8_t> space = header_.space();
    const Moved read = after_read(::recv(from, space.data(), space.size(), 0));
    // An end between frames is the source's end; inside a header it cuts a frame short.
    if (read.status == Moved::End && header_.started()) return {Moved::Failed};
    if (read.status != Moved::Progress) return read;
    const auto outcome = header_.advance(read.bytes);
    if (!outcome) return read;
    header_.reset();
    if (std::holds_alternative<std::string_view>(*outcome)) return {Moved::Failed};
    const FrameStart frame = std::get<FrameStart>(*outcome);
    if (frame.opcode == Opcode::Close) return {Moved::End};  // passed on as this direction's end
    if (websocket::is_control(frame.opcode)) {
        if (++control_run_ > kMaxControlRun) return {Moved::Failed};
        frame_ = frame;
        payload_done_ = 0;
        if (frame.length == 0) read_control(from);  // nothing to read: done now
        return read;
    }
    control_run_ = 0;
    if (frame.length > kMaxMessage) return {Moved::Failed};
    if (out_ == Framing::LengthPrefixed) {
        hold(rendezvous::frame_header(static_cast<uint32_t>(frame.length)));
    } else {
        hold(websocket::encode_header(Opcode::Binary, frame.length).view());
    }
    if (frame.length > 0) {
        frame_ = frame;
        payload_done_ = 0;
        mid_output_frame_ = true;
    }
    return read;
}

Moved ReframingChannel::read_payload(int from, size_t max) {
    if (!buffer_) buffer_ = pool_.take_buffer();
    const size_t room = CopyPool::kBufferSize - end_;
    const size_t want = static_cast<size_t>(std::min<uint64_t>({frame_->length - payload_done_, room, max}));
    const Moved read = after_read(::recv(from, buffer_.get() + end_, want, 0));
    if (read.status == Moved::End) return {Moved::Failed};  // the frame was cut short
    if (read.status != Moved::Progress) return read;
    if (frame_->mask) websocket::unmask({buffer_.get() + end_, read.bytes}, *frame_->mask, payload_done_);
    end_ += read.bytes;
    payload_done_ += read.bytes;
    if (payload_done_ == frame_->length) {
        frame_.reset();
        mid_output_frame_ = false;
    }
    return read;
}

Moved ReframingChannel::read_control(int from) {
    Moved read{Moved::Progress, 0};
    if (payload_done_ < frame_->length) {
        read = after_read(::recv(from, control_.data() + payload_done_, frame_->length - payload_done_, 0));
        if (read.status == Moved::End) return {Moved::Failed};
        if (read.status != Moved::Progress) return read;
        payload_done_ += read.bytes;
        if (payload_done_ < frame_->length) return read;
    }
    const std::span<uint8_t> payload(control_.data(), static_cast<size_t>(frame_->length));
    websocket::unmask(payload, *frame_->mask, 0);
    if (frame_->opcode == Opcode::Ping && reverse_ != nullptr) reverse_->pong(payload, from);
    frame_.reset();  // a pong needs nothing
    return read;
}

Moved ReframingChannel::drain(int to) {
    const Moved sent = after_write(::send(to, buffer_.get() + begin_, held(), MSG_NOSIGNAL | MSG_DONTWAIT));
    begin_ += sent.bytes;
    release_if_empty();
    return sent;
}

bool ReframingChannel::end_output() {
    if (out_ != Framing::WebSocket || mid_output_frame_) return false;
    hold(normal_close());
    return true;
}

void ReframingChannel::pong(std::span<const uint8_t> payload, int to) {
    std::vector<uint8_t> frame = control_frame(Opcode::Pong, payload);
    if (held() > 0 || mid_output_frame_) {
        pending_control_ = std::move(frame);
        return;
    }
    const Moved sent = after_write(::send(to, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT));
    if (sent.status != Moved::Progress) {
        pending_control_ = std::move(frame);  // tried again at the next boundary; a failed socket ends the session anyway
        return;
    }
    // What the socket did not take goes before anything else this channel sends.
    if (sent.bytes < frame.size()) hold(std::span(frame).subspan(sent.bytes));
}

void ReframingChannel::hold(std::span<const uint8_t> bytes) {
    if (!buffer_) buffer_ = pool_.take_buffer();
    std::copy(bytes.begin(), bytes.end(), buffer_.get() + end_);
    end_ += bytes.size();
}

void ReframingChannel::release_if_empty() {
    if (held() > 0) return;
    begin_ = end_ = 0;
    if (buffer_) pool_.give_back(std::move(buffer_));
}

}  // namespace tether::server
