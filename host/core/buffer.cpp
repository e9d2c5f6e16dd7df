#include "buffer.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>
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

// Picture-sized buffers are reused: a fresh multi-megabyte allocation per
// frame costs the kernel a page fault and a zeroed page for every 4 KiB.
// Freed buffers wait here by exact capacity, a few per size.
constexpr size_t kPooledFrom = 256 * 1024;
constexpr size_t kPooledPerSize = 6;

class Pool {
public:
    HostBuffer* take(size_t capacity) {
        std::lock_guard lock(mutex_);
        auto it = free_.find(capacity);
        if (it == free_.end() || it->second.empty()) return nullptr;
        HostBuffer* buffer = it->second.back();
        it->second.pop_back();
        return buffer;
    }
    bool give(HostBuffer* buffer) {
        std::lock_guard lock(mutex_);
        auto& list = free_[buffer->pub.capacity];
        if (list.size() >= kPooledPerSize) return false;
        list.push_back(buffer);
        return true;
    }
    ~Pool() {
        for (auto& [capacity, list] : free_)
            for (HostBuffer* b : list) std::free(b);
    }

private:
    std::mutex mutex_;
    std::unordered_map<size_t, std::vector<HostBuffer*>> free_;
};

Pool& pool() {
    static Pool instance;
    return instance;
}

}  // namespace

tether_buffer* buffer_alloc(size_t capacity) {
    if (capacity > SIZE_MAX - kHeaderBytes - kDataAlign) return nullptr;
    HostBuffer* buffer = capacity >= kPooledFrom ? pool().take(capacity) : nullptr;
    if (buffer == nullptr) {
        void* memory = std::aligned_alloc(kDataAlign, (kHeaderBytes + capacity + kDataAlign - 1) / kDataAlign * kDataAlign);
        if (memory == nullptr) return nullptr;
        buffer = new (memory) HostBuffer{};
        buffer->pub.data = static_cast<uint8_t*>(memory) + kHeaderBytes;
        buffer->pub.capacity = capacity;
    }
    buffer->pub.size = capacity;
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
    live_buffers.fetch_sub(1, std::memory_order_relaxed);
    if (host->pub.capacity >= kPooledFrom && pool().give(host)) return;
    host->~HostBuffer();
    std::free(host);
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
