#include "message_decoder.h"

namespace tether::server {

using websocket::Opcode;

std::span<uint8_t> MessageDecoder::space() {
    if (!frame_) return header_.space();
    return std::span(body_).subspan(have_);
}

MessageDecoder::State MessageDecoder::advance(size_t count) {
    if (frame_) {
        have_ += count;
        return have_ < body_.size() ? State::Reading : finish_frame();
    }
    const auto outcome = header_.advance(count);
    if (!outcome) return State::Reading;
    if (const auto* why = std::get_if<std::string_view>(&*outcome)) {
        why_ = *why;
        return State::Broken;
    }
    const FrameStart& frame = std::get<FrameStart>(*outcome);
    if (frame.opcode == Opcode::Close) return State::Closed;
    const bool data = frame.opcode == Opcode::Binary;
    if (data && frame.length == 0) return State::Empty;
    if (data && frame.length > max_) return State::Oversized;
    frame_ = frame;
    body_.resize(static_cast<size_t>(frame.length));  // at most max_, or a control frame's 125
    have_ = 0;
    return body_.empty() ? finish_frame() : State::Reading;
}

MessageDecoder::State MessageDecoder::finish_frame() {
    if (frame_->mask) websocket::unmask(body_, *frame_->mask, 0);
    const Opcode opcode = frame_->opcode;
    frame_.reset();
    header_.reset();
    if (opcode == Opcode::Ping) return State::Ping;
    if (opcode == Opcode::Binary) return State::Message;
    body_.clear();  // a pong: nothing to do but read on
    return State::Reading;
}

void MessageDecoder::reset() {
    header_.reset();
    frame_.reset();
    std::vector<uint8_t>().swap(body_);
    have_ = 0;
}

}  // namespace tether::server
