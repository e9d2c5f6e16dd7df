#include "network_thread.h"

#include <tether/plugin.hpp>

namespace tether::transport {

NetworkThread::NetworkThread(const char* plugin)
    : plugin_(plugin), work_(io_.get_executor()), thread_([this] { run(); }) {}

NetworkThread::~NetworkThread() { join(); }

void NetworkThread::join() {
    work_.reset();
    if (thread_.joinable()) thread_.join();
}

void NetworkThread::run() {
    // A handler that throws must not end the thread: the other connections
    // and the joins in close() and destroy() depend on it.
    for (;;) {
        try {
            io_.run();
            return;
        } catch (const std::exception& e) {
            tether::log(TETHER_LOG_ERROR, plugin_, std::string("network thread: ") + e.what());
        }
    }
}

}  // namespace tether::transport
