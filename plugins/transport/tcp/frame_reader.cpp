#include "frame_reader.h"

#include <algorithm>
#include <cstring>

namespace tether::tcp {

std::span<uint8_t> FrameReader::free_space() {
    // Keep the unfinished message at the front so that a read can use the
    // whole rest of the buffer; every byte moves at most once.
    if (begin_ > 0) {
        std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    // consume() has checked any length already buffered against the limit.
    const size_t frame = end_ >= kHeaderSize ? kHeaderSize + decode_length(buffer_.get()) : kHeaderSize;
    if (frame > capacity_) {
        const size_t capacity = std::max(frame, capacity_ == 0 ? kFirstChunk : kReadChunk);
        auto grown = std::make_unique_for_overwrite<uint8_t[]>(capacity);
        if (end_ > 0) std::memcpy(grown.get(), buffer_.get(), end_);
        buffer_ = std::move(grown);
        capacity_ = capacity;
    }
    return {buffer_.get() + end_, capacity_ - end_};
}

}  // namespace tether::tcp
