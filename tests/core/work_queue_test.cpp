// A bounded queue with one worker: work waits in order, at most so much of it,
// and stopping drops what waits without running it.
#include "core/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <vector>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

TEST(WorkQueue, RunsTasksInOrderOnOneThreadThatIsNotTheCaller) {
    std::vector<int> order;
    std::promise<std::thread::id> worker;
    WorkQueue queue("test", 16);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue.submit([&order, i] { order.push_back(i); }));
    ASSERT_TRUE(queue.submit([&worker] { worker.set_value(std::this_thread::get_id()); }));
    EXPECT_NE(worker.get_future().get(), std::this_thread::get_id());
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(WorkQueue, RefusesWorkBeyondWhatMayWait) {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> started;
    WorkQueue queue("test", 2);  // declared last: stopped before what its task uses goes away
    ASSERT_TRUE(queue.submit([&] {
        started.set_value();
        released.wait();
    }));
    started.get_future().wait();  // the worker is busy; two more may wait
    EXPECT_TRUE(queue.submit([] {}));
    EXPECT_TRUE(queue.submit([] {}));
    EXPECT_FALSE(queue.submit([] {}));
    release.set_value();
}

TEST(WorkQueue, ATaskThatThrowsDoesNotStopTheQueue) {
    std::promise<void> ran;
    WorkQueue queue("test", 4);
    ASSERT_TRUE(queue.submit([] { throw std::runtime_error("boom"); }));
    ASSERT_TRUE(queue.submit([&] { ran.set_value(); }));
    EXPECT_EQ(ran.get_future().wait_for(5s), std::future_status::ready);
}

TEST(WorkQueue, StopDropsWaitingTasksAndRefusesNewOnes) {
    std::atomic<int> ran{0};
    auto counted = std::make_shared<int>(0);
    {
        WorkQueue queue("test", 8);
        std::promise<void> started;
        std::promise<void> release;
        auto released = release.get_future().share();
        ASSERT_TRUE(queue.submit([&] {
            started.set_value();
            released.wait();
            ++ran;
        }));
        started.get_future().wait();
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(queue.submit([&ran, counted] { ++ran; }));
        EXPECT_EQ(counted.use_count(), 4);
        std::thread releaser([&] {
            std::this_thread::sleep_for(50ms);
            release.set_value();
        });
        queue.stop();
        releaser.join();
        EXPECT_FALSE(queue.submit([] {}));
    }
    EXPECT_EQ(ran.load(), 1);             // the running one finished, the waiting ones never ran
    EXPECT_EQ(counted.use_count(), 1);  // and what they held was let go
}

}  // namespace
}  // namespace tether::test
