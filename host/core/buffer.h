// Host-owned, reference-counted buffers (tether_buffer) and their C++ handle.
#pragma once

#include <tether/plugin.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace tether {

tether_buffer* buffer_alloc(size_t capacity);  // one reference, size == capacity; nullptr when out of memory
void buffer_ref(tether_buffer* buffer);
void buffer_unref(tether_buffer* buffer);
size_t live_buffer_count();  // buffers not yet freed, for leak checks

// Owns one reference.
class BufferRef {
public:
    BufferRef() = default;
    static BufferRef allocate(size_t capacity);     // throws std::bad_alloc
    static BufferRef adopt(tether_buffer* buffer);  // takes over the caller's reference
    static BufferRef share(tether_buffer* buffer);  // adds a reference
    static BufferRef copy_of(std::span<const uint8_t> bytes);

    BufferRef(const BufferRef& other) : buffer_(other.buffer_) { if (buffer_) buffer_ref(buffer_); }
    BufferRef(BufferRef&& other) noexcept : buffer_(std::exchange(other.buffer_, nullptr)) {}
    BufferRef& operator=(BufferRef other) noexcept {
        std::swap(buffer_, other.buffer_);
        return *this;
    }
    ~BufferRef() { if (buffer_) buffer_unref(buffer_); }

    tether_buffer* get() const { return buffer_; }
    tether_buffer* release() { return std::exchange(buffer_, nullptr); }
    explicit operator bool() const { return buffer_ != nullptr; }
    uint8_t* data() const { return buffer_->data; }
    size_t size() const { return buffer_->size; }
    void resize(size_t size);  // within capacity, before publishing
    std::span<const uint8_t> bytes() const { return {buffer_->data, buffer_->size}; }

private:
    explicit BufferRef(tether_buffer* buffer) : buffer_(buffer) {}
    tether_buffer* buffer_ = nullptr;
};

}  // namespace tether
