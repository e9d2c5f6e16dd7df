#include "work_queue.h"

#include <spdlog/spdlog.h>

namespace tether {

WorkQueue::WorkQueue(std::string name, size_t max_waiting)
    : name_(std::move(name)), max_waiting_(max_waiting), thread_([this] { run(); }) {}

WorkQueue::~WorkQueue() { stop(); }

bool WorkQueue::submit(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopped_ || tasks_.size() >= max_waiting_) return false;
        tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
    return true;
}

void WorkQueue::stop() {
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        dropped.swap(tasks_);
    }
    ready_.notify_all();
    if (thread_.joinable()) thread_.join();
    // `dropped` goes here, outside the lock: a task may own what it works on.
}

void WorkQueue::run() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return stopped_ || !tasks_.empty(); });
            if (stopped_) return;
            task = std::move(tasks_.front());
            tasks_.pop_front();
        }
        try {
            task();
        } catch (const std::exception& e) {
            spdlog::error("{}: {}", name_, e.what());
        }
    }
}

}  // namespace tether
