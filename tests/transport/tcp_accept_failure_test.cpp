// Whatever goes wrong while one connection is being accepted, the listener
// goes on accepting the next: a host callback that throws (through the host's
// C++ handles, and straight through the C ABI), or a failure inside the host.
#include "core/host_api.h"
#include "loopback.h"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

TEST_F(TcpTransportTest, ListenerKeepsAcceptingAfterTheHostsAcceptCallbackThrows) {
    AcceptQueue accepted;
    std::atomic<int> calls{0};
    const Transport::AcceptFn queue = accepted.accept_fn();
    const auto listener = transport_->listen("127.0.0.1:0", [&](std::unique_ptr<Connection> c, const std::string& peer) {
        if (calls++ == 0) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                                                  "cannot start a thread");
        queue(std::move(c), peer);
    });
    boost::asio::io_context io;
    tcp::socket first(io);
    first.connect(endpoint_of(listener->address()));
    tcp::socket second(io);
    second.connect(endpoint_of(listener->address()));
    EXPECT_TRUE(accepted.next());
    EXPECT_EQ(calls.load(), 2);
}

// The plugin's own listener, driven through the C ABI with a C callback that
// lets an exception out, as a careless host might.
struct RawAccepts {
    const tether_transport_vtable* vt = nullptr;
    std::mutex mutex;
    std::condition_variable changed;
    int calls = 0;
    std::vector<void*> connections;
};

void throwing_accept(void* ctx, void* connection, const char*) {
    auto* self = static_cast<RawAccepts*>(ctx);
    std::lock_guard lock(self->mutex);
    if (self->calls++ == 0) throw std::runtime_error("the host failed");
    self->connections.push_back(connection);
    self->changed.notify_all();
}

TEST_F(TcpTransportTest, PluginKeepsAcceptingAfterTheCallbackLetsAnExceptionOut) {
    RawAccepts accepts;
    accepts.vt = &transport_->vtable();
    std::array<char, 512> error_text{};
    tether_error err{error_text.data(), error_text.size()};
    void* transport = accepts.vt->create(host_api(), &err);
    ASSERT_NE(transport, nullptr) << error_text.data();
    std::array<char, 256> bound{};
    void* listener = accepts.vt->listen(transport, "127.0.0.1:0", &throwing_accept, &accepts, bound.data(), bound.size(), &err);
    ASSERT_NE(listener, nullptr) << error_text.data();

    boost::asio::io_context io;
    tcp::socket first(io);
    first.connect(endpoint_of(bound.data()));
    tcp::socket second(io);
    second.connect(endpoint_of(bound.data()));
    {
        std::unique_lock lock(accepts.mutex);
        EXPECT_TRUE(accepts.changed.wait_for(lock, 10s, [&] { return !accepts.connections.empty(); }));
    }
    EXPECT_EQ(accepts.calls, 2);
    for (void* c : accepts.connections) accepts.vt->close(c);
    accepts.vt->close_listener(listener);
    accepts.vt->destroy(transport);
}

}  // namespace
}  // namespace tether::test
