// Session protocol constants and the one place messages are turned into and
// out of bytes. Every inbound message is bounded before it is parsed.
#pragma once

#include "core/buffer.h"
#include "session.pb.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tether::session {

// 2: keepalives and resumption; 3: path moves; 4: pictures on the media lane, resent on request;
// 5: the viewer's path reports and codec switches; 6: pictures coded smaller than the screen
constexpr uint32_t kProtocolVersion = 6;
// Larger than any sane encoded 8K picture, far below what would hurt memory.
constexpr size_t kMaxSessionMessage = 16u << 20;
constexpr size_t kMaxCodecs = 32;       // entries in Hello.decoders
constexpr size_t kMaxTextField = 256;   // reasons, versions, codec names
constexpr uint32_t kMaxPictureSide = 16384;
constexpr size_t kMaxPassword = 128;
constexpr size_t kResumeTicketBytes = 16;
constexpr size_t kResumeProofBytes = 32;
// Before login a viewer sends only Hello and LoginRequest: this holds a Hello
// with every field at its limit, with room for fields a newer viewer adds.
// Nothing larger is buffered for a connection that has proved nothing yet.
constexpr size_t kMaxGreetingMessage = 16 * 1024;
static_assert((kMaxCodecs + 2) * (kMaxTextField + 3) + 64 <= kMaxGreetingMessage);
// Clipboard text either way; more is not sent, and the sender logs why.
constexpr size_t kMaxClipboardBytes = 1u << 20;
// Monitors a host lists; more are not shown.
constexpr size_t kMaxMonitors = 16;
// A cursor image's side: larger ones are not sent.
constexpr uint32_t kMaxCursorSide = 256;
// After login a viewer sends input, clipboard text, keyframe requests and statistics.
constexpr size_t kMaxViewerMessage = kMaxClipboardBytes + 4 * 1024;
// The host's Goodbye when it stops: an orderly end for a viewer, not a failure.
inline constexpr const char* kHostShuttingDown = "host shutting down";

// Serializes into a host buffer ready for Connection::send.
BufferRef encode(const proto::SessionMessage& message);

// Parses and checks bounds; nullopt with `error` set when the bytes are hostile or malformed.
std::optional<proto::SessionMessage> decode(std::span<const uint8_t> bytes, std::string& error);

proto::SessionMessage goodbye(const std::string& reason);

// Protobuf's own complaints (a stranger's invalid UTF-8) go to the debug log:
// at its default, protobuf would write a line for each, bypassing the host's
// rule of counting strangers' failures in sum.
void route_protobuf_logs();

}  // namespace tether::session
