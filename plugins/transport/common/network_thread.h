// The one network thread of a socket transport and its io_context. Sockets, timers
// and every callback into the host run here, so per-connection state needs
// no locks beyond the outgoing queue.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <exception>
#include <future>
#include <thread>

namespace tether::transport {

class NetworkThread {
public:
    // `plugin` names the plugin in the log lines of a handler that throws.
    explicit NetworkThread(const char* plugin);
    ~NetworkThread();
    NetworkThread(const NetworkThread&) = delete;
    NetworkThread& operator=(const NetworkThread&) = delete;

    boost::asio::io_context& context() { return io_; }
    bool is_current() { return io_.get_executor().running_in_this_thread(); }

    // Runs `fn` on the network thread and returns once it has run (inline
    // when called there), passing on what it throws.
    template <typename Fn>
    void run_and_wait(Fn&& fn);

    // Lets the handlers still queued finish, then joins the thread.
    void join();

private:
    void run();

    const char* plugin_;
    boost::asio::io_context io_{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

template <typename Fn>
void NetworkThread::run_and_wait(Fn&& fn) {
    if (is_current()) {
        fn();
        return;
    }
    std::promise<void> done;
    boost::asio::post(io_, [&] {
        try {
            fn();
            done.set_value();
        } catch (...) {
            done.set_exception(std::current_exception());
        }
    });
    done.get_future().get();
}

}  // namespace tether::transport
