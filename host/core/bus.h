// In-process publish/subscribe by topic name. Every subscriber has its own
// mailbox and consumer thread, so a slow subscriber never stalls a fast one:
// video topics drop the oldest item for that subscriber alone and tell it
// (so it can ask for a keyframe); control topics apply backpressure.
#pragma once

#include "mailbox.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <vector>

namespace tether {

struct Delivery {
    size_t depth = 1;
    Overflow overflow = Overflow::DropOldest;
    static Delivery latest() { return {1, Overflow::DropOldest}; }
    static Delivery window(size_t depth) { return {depth, Overflow::DropOldest}; }
    static Delivery backpressure(size_t depth) { return {depth, Overflow::Block}; }
};

template <typename T>
class Topic;

template <typename T>
class Subscription {
public:
    using SkipFn = std::function<void(uint64_t dropped)>;
    Subscription(Delivery delivery, SkipFn on_skip) : mailbox_(delivery.depth, delivery.overflow), on_skip_(std::move(on_skip)) {}

    std::optional<T> next(std::chrono::milliseconds timeout) { return mailbox_.pop(timeout); }
    uint64_t skipped() const { return mailbox_.skipped(); }
    bool wait_empty(std::chrono::milliseconds timeout) { return mailbox_.wait_empty(timeout); }
    void close() { mailbox_.close(); }  // wakes the consumer; later publishes pass it by
    bool closed() const { return mailbox_.closed(); }

private:
    friend class Topic<T>;
    void deliver(const T& item) {
        const int64_t dropped = mailbox_.push(item);
        if (dropped > 0 && on_skip_) on_skip_(static_cast<uint64_t>(dropped));
    }
    Mailbox<T> mailbox_;
    SkipFn on_skip_;
};

template <typename T>
class Topic {
public:
    explicit Topic(std::string name) : name_(std::move(name)) {}
    const std::string& name() const { return name_; }

    // The subscription lives as long as the caller holds it; dropping it unsubscribes.
    std::shared_ptr<Subscription<T>> subscribe(Delivery delivery, typename Subscription<T>::SkipFn on_skip = {}) {
        auto subscription = std::make_shared<Subscription<T>>(delivery, std::move(on_skip));
        std::lock_guard lock(mutex_);
        subscribers_.push_back(subscription);
        return subscription;
    }

    // Delivers to every live subscriber; returns how many received it.
    size_t publish(const T& item) {
        std::vector<std::shared_ptr<Subscription<T>>> live;
        {
            std::lock_guard lock(mutex_);
            std::erase_if(subscribers_, [](const auto& weak) { return weak.expired(); });
            for (const auto& weak : subscribers_)
                if (auto s = weak.lock()) live.push_back(std::move(s));
        }
        for (const auto& s : live) s->deliver(item);
        return live.size();
    }

    size_t subscriber_count() const {
        std::lock_guard lock(mutex_);
        return static_cast<size_t>(std::count_if(subscribers_.begin(), subscribers_.end(),
                                                 [](const auto& weak) { return !weak.expired(); }));
    }

private:
    const std::string name_;
    mutable std::mutex mutex_;
    std::vector<std::weak_ptr<Subscription<T>>> subscribers_;
};

// Topics by name. A name always carries one message type.
class Bus {
public:
    template <typename T>
    std::shared_ptr<Topic<T>> topic(const std::string& name) {
        std::lock_guard lock(mutex_);
        auto it = topics_.find(name);
        if (it == topics_.end()) {
            auto made = std::make_shared<Topic<T>>(name);
            topics_.emplace(name, Entry{std::type_index(typeid(T)), made});
            return made;
        }
        if (it->second.type != std::type_index(typeid(T)))
            throw std::logic_error("bus topic '" + name + "' already carries another message type");
        return std::static_pointer_cast<Topic<T>>(it->second.topic);
    }

private:
    struct Entry {
        std::type_index type;
        std::shared_ptr<void> topic;
    };
    std::mutex mutex_;
    std::map<std::string, Entry> topics_;
};

}  // namespace tether
