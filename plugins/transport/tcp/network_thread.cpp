#include "network_thread.h"

#include "plugin_log.h"

namespace tether::tcp {

NetworkThread::NetworkThread() : work_(io_.get_executor()), thread_([this] { run(); }) {}

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
            log(TETHER_LOG_ERROR, std::string("network thread: ") + e.what());
        }
    }
}

}  // namespace tether::tcp
