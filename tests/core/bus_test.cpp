// Fan-out: every subscriber gets its own copy of the stream, and a slow one
// loses items alone (and is told) instead of stalling the others.
#include "core/bus.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tether {
namespace {

using namespace std::chrono_literals;

struct Consumer {
    std::vector<int> got;
    std::thread thread;
    void start(std::shared_ptr<Subscription<int>> s, std::chrono::milliseconds work, int last) {
        thread = std::thread([this, s, work, last] {
            while (auto item = s->next(2s)) {
                got.push_back(*item);
                if (*item == last) break;
                std::this_thread::sleep_for(work);
            }
        });
    }
};

TEST(Bus, SlowSubscriberDoesNotStallTheFastOne) {
    Bus bus;
    auto topic = bus.topic<int>("video.encoded.0");
    std::atomic<uint64_t> skip_reports{0};
    auto fast = topic->subscribe(Delivery::window(64));
    auto slow = topic->subscribe(Delivery::latest(), [&](uint64_t dropped) { skip_reports += dropped; });
    EXPECT_EQ(topic->subscriber_count(), 2u);

    constexpr int kItems = 300;
    Consumer fast_consumer;
    Consumer slow_consumer;
    fast_consumer.start(fast, 0ms, kItems - 1);
    slow_consumer.start(slow, 20ms, kItems - 1);
    for (int i = 0; i < kItems; ++i) {
        EXPECT_EQ(topic->publish(i), 2u);
        std::this_thread::sleep_for(1ms);
    }
    fast_consumer.thread.join();
    slow_consumer.thread.join();

    // The fast subscriber saw everything, in order.
    ASSERT_EQ(fast_consumer.got.size(), static_cast<size_t>(kItems));
    for (int i = 0; i < kItems; ++i) EXPECT_EQ(fast_consumer.got[i], i);
    // The slow one saw a few, always newer than the last, ending with the newest.
    EXPECT_LT(slow_consumer.got.size(), static_cast<size_t>(kItems) / 2);
    EXPECT_TRUE(std::is_sorted(slow_consumer.got.begin(), slow_consumer.got.end()));
    EXPECT_EQ(slow_consumer.got.back(), kItems - 1);
    EXPECT_EQ(skip_reports.load(), slow->skipped());
    EXPECT_EQ(slow->skipped() + slow_consumer.got.size(), static_cast<uint64_t>(kItems));
    EXPECT_EQ(fast->skipped(), 0u);
}

TEST(Bus, BackpressureMakesThePublisherWait) {
    Bus bus;
    auto topic = bus.topic<int>("files");
    auto sub = topic->subscribe(Delivery::backpressure(2));
    std::atomic<int> published{0};
    std::thread producer([&] {
        for (int i = 0; i < 5; ++i) {
            topic->publish(i);
            ++published;
        }
    });
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(published.load(), 2);  // the queue holds two; the third publish waits
    for (int i = 0; i < 5; ++i) EXPECT_EQ(sub->next(1s), i);  // nothing lost
    producer.join();
    EXPECT_EQ(published.load(), 5);
}

TEST(Bus, DroppedSubscriptionLeavesTheTopic) {
    Bus bus;
    auto topic = bus.topic<int>("control");
    auto kept = topic->subscribe(Delivery::latest());
    topic->subscribe(Delivery::latest());  // dropped at once
    EXPECT_EQ(topic->publish(1), 1u);
    EXPECT_EQ(topic->subscriber_count(), 1u);
}

TEST(Bus, TopicNameCarriesOneType) {
    Bus bus;
    auto ints = bus.topic<int>("session.control");
    EXPECT_EQ(bus.topic<int>("session.control"), ints);
    EXPECT_THROW(bus.topic<double>("session.control"), std::logic_error);
}

TEST(Bus, CloseWakesTheConsumer) {
    Bus bus;
    auto sub = bus.topic<int>("input")->subscribe(Delivery::backpressure(4));
    std::thread closer([&] {
        std::this_thread::sleep_for(50ms);
        sub->close();
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(sub->next(10s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    closer.join();
}

}  // namespace
}  // namespace tether
