#include "protocol.h"

#include "core/message_text.h"

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

#include <cmath>

namespace tether::session {
namespace {

bool text_ok(const std::string& text) { return text.size() <= kMaxTextField; }

// Field-level limits protobuf itself does not know about.
std::string check(const proto::SessionMessage& m) {
    switch (m.body_case()) {
    case proto::SessionMessage::kHello: {
        const auto& h = m.hello();
        if (h.decoders_size() > static_cast<int>(kMaxCodecs)) return "hello lists too many decoders";
        for (const auto& d : h.decoders())
            if (!text_ok(d)) return "hello decoder name too long";
        if (!text_ok(h.app_version()) || !text_ok(h.codec())) return "hello text field too long";
        if (h.width() > kMaxPictureSide || h.height() > kMaxPictureSide) return "hello picture size out of range";
        return {};
    }
    case proto::SessionMessage::kVideoFrame: {
        const auto& v = m.video_frame();
        if (v.width() == 0 || v.height() == 0 || v.width() > kMaxPictureSide || v.height() > kMaxPictureSide)
            return "video frame size out of range";
        // A picture coded smaller than the screen names the screen; never smaller than itself.
        if ((v.screen_width() != 0 || v.screen_height() != 0) &&
            (v.screen_width() < v.width() || v.screen_height() < v.height() || v.screen_width() > kMaxPictureSide ||
             v.screen_height() > kMaxPictureSide))
            return "video frame screen size out of range";
        if (v.data().empty()) return "video frame without data";
        if (!text_ok(v.codec())) return "codec name too long";
        return {};
    }
    case proto::SessionMessage::kScreenPatch:
        return m.screen_patch().data_case() == proto::ScreenPatch::DATA_NOT_SET ? "screen patch without data" : "";
    case proto::SessionMessage::kResendRequest:
        return m.resend_request().after() < m.resend_request().through() ? "" : "resend request of no pictures";
    case proto::SessionMessage::kKeyframeRequest: return text_ok(m.keyframe_request().reason()) ? "" : "reason too long";
    case proto::SessionMessage::kGoodbye: return text_ok(m.goodbye().reason()) ? "" : "reason too long";
    case proto::SessionMessage::kStats: {
        const float slope = m.stats().delay_slope_ms_per_s();
        return std::isfinite(slope) ? "" : "delay trend not a number";
    }
    case proto::SessionMessage::kSwitchCodec:
        return !m.switch_codec().codec().empty() && text_ok(m.switch_codec().codec()) ? "" : "codec name empty or too long";
    case proto::SessionMessage::kLoginRequest:
        return m.login_request().password().size() <= kMaxPassword ? "" : "password too long";
    case proto::SessionMessage::kLoginResponse: return text_ok(m.login_response().reason()) ? "" : "reason too long";
    case proto::SessionMessage::kInput:
        return m.input().event_case() == proto::InputEvent::EVENT_NOT_SET ? "empty input event" : "";
    case proto::SessionMessage::kClipboard:
        return m.clipboard().text().size() <= kMaxClipboardBytes ? "" : "clipboard text over the limit";
    case proto::SessionMessage::kCursorShape: {
        const auto& c = m.cursor_shape();
        if (c.width() == 0 || c.height() == 0 || c.width() > kMaxCursorSide || c.height() > kMaxCursorSide)
            return "cursor size out of range";
        if (c.bgra().size() != size_t{c.width()} * c.height() * 4) return "cursor image of the wrong size";
        return {};
    }
    case proto::SessionMessage::kCursorPosition: return {};
    case proto::SessionMessage::kMonitors: {
        const auto& list = m.monitors();
        if (list.monitors_size() > static_cast<int>(kMaxMonitors)) return "too many monitors";
        for (const auto& monitor : list.monitors()) {
            if (!text_ok(monitor.name())) return "monitor name too long";
            if (monitor.width() == 0 || monitor.height() == 0 || monitor.width() > kMaxPictureSide ||
                monitor.height() > kMaxPictureSide)
                return "monitor size out of range";
        }
        return list.shown() <= static_cast<uint32_t>(list.monitors_size()) ? "" : "shown monitor not listed";
    }
    case proto::SessionMessage::kShowMonitor: return {};  // one not listed is refused with a log line
    case proto::SessionMessage::kKeepalive: return {};
    case proto::SessionMessage::kPathMove: return {};
    case proto::SessionMessage::kResumeTicket:
        return m.resume_ticket().ticket_id().size() == kResumeTicketBytes ? "" : "resume ticket of the wrong size";
    case proto::SessionMessage::kResumeRequest: {
        const auto& r = m.resume_request();
        return r.ticket_id().size() == kResumeTicketBytes && r.proof().size() == kResumeProofBytes
                   ? ""
                   : "resume request of the wrong size";
    }
    case proto::SessionMessage::BODY_NOT_SET: return "empty message";
    }
    return "unknown message";
}

}  // namespace

BufferRef encode(const proto::SessionMessage& message) {
    BufferRef out = BufferRef::allocate(message.ByteSizeLong());
    message.SerializeWithCachedSizesToArray(out.data());
    return out;
}

std::optional<proto::SessionMessage> decode(std::span<const uint8_t> bytes, std::string& error) {
    if (bytes.size() > kMaxSessionMessage) {
        error = "message of " + std::to_string(bytes.size()) + " bytes over the " + std::to_string(kMaxSessionMessage) +
                " byte limit";
        return std::nullopt;
    }
    proto::SessionMessage message;
    if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        error = "malformed message";
        return std::nullopt;
    }
    if (std::string why = check(message); !why.empty()) {
        error = why;
        return std::nullopt;
    }
    return message;
}

proto::SessionMessage goodbye(const std::string& reason) {
    proto::SessionMessage m;
    m.mutable_goodbye()->set_reason(reason.substr(0, kMaxTextField));
    return m;
}

void route_protobuf_logs() {
    google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string& message) {
        spdlog::debug("protobuf: {}", printable_line(message));
    });
}

}  // namespace tether::session
