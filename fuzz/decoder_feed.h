// A MessageDecoder fed as the servers feed it from a socket: every read
// exactly the size it asks for, taken from the front of `input`; the input
// running out mid-message is the peer's end.
#pragma once

#include "server/message_decoder.h"

#include <cstdint>
#include <span>

namespace tether::fuzz {

server::MessageDecoder::State feed_decoder(server::MessageDecoder& decoder, std::span<const uint8_t>& input);

}  // namespace tether::fuzz
