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

constexpr uint32_t kProtocolVersion = 1;
// Larger than any sane encoded 8K picture, far below what would hurt memory.
constexpr size_t kMaxSessionMessage = 16u << 20;
constexpr size_t kMaxCodecs = 32;       // entries in Hello.decoders
constexpr size_t kMaxTextField = 256;   // reasons, versions, codec names
constexpr uint32_t kMaxPictureSide = 16384;
constexpr size_t kMaxPassword = 128;

// Serializes into a host buffer ready for Connection::send.
BufferRef encode(const proto::SessionMessage& message);

// Parses and checks bounds; nullopt with `error` set when the bytes are hostile or malformed.
std::optional<proto::SessionMessage> decode(std::span<const uint8_t> bytes, std::string& error);

proto::SessionMessage goodbye(const std::string& reason);

}  // namespace tether::session
