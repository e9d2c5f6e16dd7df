#include "decoder_feed.h"

#include <algorithm>

namespace tether::fuzz {

server::MessageDecoder::State feed_decoder(server::MessageDecoder& decoder, std::span<const uint8_t>& input) {
    using State = server::MessageDecoder::State;
    for (;;) {
        const std::span<uint8_t> space = decoder.space();
        if (input.size() < space.size()) return State::Closed;  // async_read would have failed
        std::copy_n(input.begin(), space.size(), space.begin());
        input = input.subspan(space.size());
        const State state = decoder.advance(space.size());
        if (state != State::Reading) return state;
    }
}

}  // namespace tether::fuzz
