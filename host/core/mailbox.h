// A bounded queue between one producer side and one consumer thread, with
// the two overflow policies the bus needs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace tether {

enum class Overflow {
    DropOldest,  // video: the newest item wins, the consumer learns it skipped
    Block,       // control, files: the producer waits for room (backpressure)
};

template <typename T>
class Mailbox {
public:
    // With DropOldest, only items `droppable` accepts are ever dropped (video
    // mixed with control messages that must arrive); the others may exceed
    // the depth up to four times it, past which the push fails as a flood.
    using Droppable = bool (*)(const T&);
    // What an item costs, in bytes: with `weigh`, the items held never add up
    // to more than `max_bytes` (an item larger than that alone is a flood).
    using Weigh = size_t (*)(const T&);
    Mailbox(size_t depth, Overflow overflow, Droppable droppable = nullptr, Weigh weigh = nullptr,
            size_t max_bytes = SIZE_MAX)
        : depth_(depth == 0 ? 1 : depth), overflow_(overflow), droppable_(droppable), weigh_(weigh), max_bytes_(max_bytes) {}

    // Returns how many items were dropped to make room, or -1 when closed (or flooded).
    int64_t push(T item) {
        const size_t weight = weigh_ ? weigh_(item) : 0;
        std::unique_lock lock(mutex_);
        int64_t dropped = 0;
        if (weight > max_bytes_) return -1;
        if (overflow_ == Overflow::Block) {
            room_.wait(lock, [&] { return closed_ || has_room(weight); });
            if (closed_) return -1;
        } else {
            while (!has_room(weight) && drop_oldest_droppable()) ++dropped;
            skipped_ += static_cast<uint64_t>(dropped);
            if (items_.size() >= 4 * depth_ || bytes_ + weight > max_bytes_) return -1;
        }
        if (closed_) return -1;
        items_.push_back(std::move(item));
        bytes_ += weight;
        lock.unlock();
        ready_.notify_one();
        return dropped;
    }

    // Waits up to `timeout` for an item; nullopt on timeout or when closed and empty.
    std::optional<T> pop(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        if (!ready_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); }) || items_.empty())
            return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        if (weigh_) bytes_ -= weigh_(item);
        lock.unlock();
        room_.notify_one();
        return item;
    }

    // Waits until the consumer has taken everything queued (or close).
    bool wait_empty(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return room_.wait_for(lock, timeout, [&] { return closed_ || items_.empty(); });
    }

    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            items_.clear();
            bytes_ = 0;
        }
        ready_.notify_all();
        room_.notify_all();
    }

    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }
    uint64_t skipped() const {
        std::lock_guard lock(mutex_);
        return skipped_;
    }

private:
    bool has_room(size_t weight) const { return items_.size() < depth_ && bytes_ + weight <= max_bytes_; }

    bool drop_oldest_droppable() {
        for (auto it = items_.begin(); it != items_.end(); ++it) {
            if (droppable_ == nullptr || droppable_(*it)) {
                if (weigh_) bytes_ -= weigh_(*it);
                items_.erase(it);
                return true;
            }
        }
        return false;
    }

    const size_t depth_;
    const Overflow overflow_;
    const Droppable droppable_;
    const Weigh weigh_;
    const size_t max_bytes_;
    size_t bytes_ = 0;  // the weight of what items_ holds
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::condition_variable room_;
    std::deque<T> items_;
    uint64_t skipped_ = 0;
    bool closed_ = false;
};

}  // namespace tether
