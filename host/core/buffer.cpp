#include "buffer.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace tether {
namespace {

// The public struct is the first member, so a tether_buffer* is also a HostBuffer*.
struct HostBuffer {
    tether_buffer pub;
    std::atomic<uint32_t> refs;
};
static_assert(offsetof(HostBuffer, pub) == 0);

std::atomic<size_t> live_buffers{0};

// Data follows the header, aligned for SIMD row access by codecs.
constexpr size_t kDataAlign = 64;
constexpr size_t kHeaderBytes = (sizeof(HostBuffer) + kDataAlign - 1) / kDataAlign * kDataAlign;

}  // namespace

tether_buffer* buffer_alloc(size_t capacity) {
    if (capacity > SIZE_MAX - kHeaderBytes - kDataAlign) return nullptr;
    void* memory = std::aligned_alloc(kDataAlign, (kHeaderBytes + capacity + kDataAlign - 1) / kDataAlign * kDataAlign);
    if (memory == nullptr) return nullptr;
    auto* buffer = new (memory) HostBuffer{};
    buffer->pub.data = static_cast<uint8_t*>(memory) + kHeaderBytes;
    buffer->pub.size = capacity;
    buffer->pub.capacity = capacity;
    buffer->refs.store(1, std::memory_order_relaxed);
    live_buffers.fetch_add(1, std::memory_order_relaxed);
    return &buffer->pub;
}

void buffer_ref(tether_buffer* buffer) {
    reinterpret_cast<HostBuffer*>(buffer)->refs.fetch_add(1, std::memory_order_relaxed);
}

void buffer_unref(tether_buffer* buffer) {
    auto* host = reinterpret_cast<HostBuffer*>(buffer);
    if (host->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    host->~HostBuffer();
    std::free(host);
    live_buffers.fetch_sub(1, std::memory_order_relaxed);
}

size_t live_buffer_count() { return live_buffers.load(std::memory_order_relaxed); }

BufferRef BufferRef::allocate(size_t capacity) {
    tether_buffer* buffer = buffer_alloc(capacity);
    if (buffer == nullptr) throw std::bad_alloc();
    return BufferRef(buffer);
}

BufferRef BufferRef::adopt(tether_buffer* buffer) { return BufferRef(buffer); }

BufferRef BufferRef::share(tether_buffer* buffer) {
    if (buffer != nullptr) buffer_ref(buffer);
    return BufferRef(buffer);
}

BufferRef BufferRef::copy_of(std::span<const uint8_t> bytes) {
    BufferRef copy = allocate(bytes.size());
    if (!bytes.empty()) std::memcpy(copy.data(), bytes.data(), bytes.size());
    return copy;
}

void BufferRef::resize(size_t size) {
    if (size > buffer_->capacity) throw std::length_error("buffer resize beyond capacity");
    buffer_->size = size;
}

}  // namespace tether
