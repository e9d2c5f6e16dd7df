// One thread that runs tasks in order from a bounded queue: for work that
// takes milliseconds and so must not run on a transport thread, and that a
// stranger must not be able to multiply into threads of its own.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tether {

class WorkQueue {
public:
    WorkQueue(std::string name, size_t max_waiting);
    ~WorkQueue();  // stop()
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    // [thread-safe] False when `max_waiting` tasks already wait, or after
    // stop(). A task that throws is logged; the queue goes on.
    bool submit(std::function<void()> task);
    // Drops the tasks still waiting, lets the running one finish, joins.
    void stop();

private:
    void run();

    const std::string name_;
    const size_t max_waiting_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    bool stopped_ = false;
    std::thread thread_;  // last: starts once the rest exists
};

}  // namespace tether
