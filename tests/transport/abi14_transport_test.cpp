// A transport built for ABI 1.4, before channels and ports (abi14_transport.c
// in tests/plugins, compiled against the frozen header in tests/abi/1.4),
// keeps working under today's host: its connections carry messages both ways
// and end with their reasons, the calls of 1.5 fall back to its one reliable
// stream or refuse saying so, and an encrypted channel runs over it.
#include "loopback.h"
#include "test_host.h"

#include "core/buffer.h"
#include "net/secure_channel.h"
#include "security/identity.h"

#include <future>

namespace tether::test {
namespace {

const Factory& abi14_transport() { return test_plugin("transport-abi-1-4", TETHER_KIND_TRANSPORT, "abi-1.4"); }

// Throws unless `what` throws a PluginError; returns its message.
template <typename Call>
std::string refusal_of(Call what) {
    try {
        what();
    } catch (const PluginError& e) {
        return e.what();
    }
    throw std::runtime_error("it was not refused");
}

class Abi14Transport : public ::testing::Test {
protected:
    void SetUp() override {
        buffers_before_ = live_buffer_count();
        transport_ = Transport::create(abi14_transport());
        listener_ = transport_->listen("abi14-test", accepts_.accept_fn());
    }
    void TearDown() override {
        dialer_.reset();
        accepted_.reset();
        listener_.reset();
        transport_.reset();
        EXPECT_EQ(live_buffer_count(), buffers_before_);  // the plugin gave back every message it held
    }
    // dialer_, delivering to at_dialer_, and accepted_, the listener's end, left
    // for the test to start.
    void connect() {
        dialer_ = transport_->connect(listener_->address(), 1s);
        accepted_ = accepts_.next();
        ASSERT_NE(accepted_, nullptr) << "the listener accepted nothing";
        at_dialer_.collect_from(*dialer_);
    }

    std::shared_ptr<Transport> transport_;
    AcceptQueue accepts_;
    std::unique_ptr<Listener> listener_;
    Inbox at_dialer_;
    Inbox at_listener_;
    std::unique_ptr<Connection> dialer_;
    std::unique_ptr<Connection> accepted_;

private:
    size_t buffers_before_ = 0;
};

TEST_F(Abi14Transport, ItLoadsWithTheMinorItWasBuiltFor) {
    EXPECT_EQ(abi14_transport().abi_version(), TETHER_ABI_VERSION(1, 4));
    // Its table ends where 1.4's did; the host reads nothing after that.
    EXPECT_EQ(transport_->vtable().struct_size, TETHER_SIZE_THROUGH(tether_transport_vtable, get_extension));
    EXPECT_EQ(std::string(transport_->vtable().scheme), "loop");
    EXPECT_EQ(listener_->address(), "abi14-test");
}

TEST_F(Abi14Transport, MessagesGoBothWaysInOrderEvenBeforeTheListenersEndStarts) {
    ASSERT_NO_FATAL_FAILURE(connect());
    EXPECT_EQ(accepts_.last_peer(), "dialer-1");
    const std::vector<Bytes> to_listener = {pattern(0, 1), pattern(1, 2), pattern(1 << 20, 3)};
    for (const Bytes& message : to_listener) dialer_->send(buffer_of(message));
    at_listener_.collect_from(*accepted_);  // what came before start() was held for it
    const std::vector<Bytes> to_dialer = {pattern(5, 4), pattern(70000, 5)};
    for (const Bytes& message : to_dialer) accepted_->send(buffer_of(message));

    ASSERT_TRUE(at_listener_.wait_for_messages(to_listener.size()));
    ASSERT_TRUE(at_dialer_.wait_for_messages(to_dialer.size()));
    EXPECT_EQ(at_listener_.messages(), to_listener);
    EXPECT_EQ(at_dialer_.messages(), to_dialer);
    EXPECT_EQ(at_dialer_.closed_count() + at_listener_.closed_count(), 0);
}

TEST_F(Abi14Transport, EachEndHearsWhyItClosedAndWhatWasSentFirstStillArrives) {
    ASSERT_NO_FATAL_FAILURE(connect());
    at_listener_.collect_from(*accepted_);
    const Bytes goodbye = pattern(32, 6);
    dialer_->send(buffer_of(goodbye));
    dialer_->close();

    EXPECT_EQ(at_dialer_.wait_for_close(), "closed locally");
    EXPECT_EQ(at_listener_.wait_for_close(), "closed by peer");
    EXPECT_EQ(at_listener_.messages(), std::vector<Bytes>{goodbye});
    EXPECT_NE(refusal_of([&] { accepted_->send(buffer_of(goodbye)); }).find("connection closed"), std::string::npos);
    EXPECT_NE(refusal_of([&] { transport_->connect("nowhere", 1s); }).find("connect to nowhere: connection refused"),
              std::string::npos);
    EXPECT_EQ(at_dialer_.closed_count(), 1);
    EXPECT_EQ(at_listener_.closed_count(), 1);
}

// It never asks for the host's limit (ABI 1.1): the host holds it to it on
// delivery, closing from inside the callback, after which nothing comes.
TEST_F(Abi14Transport, AMessageOverTheHostsLimitEndsTheConnectionAndNothingComesAfter) {
    ASSERT_NO_FATAL_FAILURE(connect());
    for (const size_t size : {10, 11, 1}) dialer_->send(buffer_of(pattern(size, 11)));
    accepted_->set_receive_limit(10);
    at_listener_.collect_from(*accepted_);

    EXPECT_EQ(at_listener_.wait_for_close(), "message too large (11 bytes > 10)");
    EXPECT_EQ(at_dialer_.wait_for_close(), "closed by peer");
    EXPECT_EQ(at_listener_.messages(), std::vector<Bytes>{pattern(10, 11)});
    EXPECT_EQ(at_listener_.closed_count(), 1);
}

TEST_F(Abi14Transport, TheCallsOfAbi15FallBackToItsOneReliableStream) {
    EXPECT_EQ(transport_->channels(), 1u);
    EXPECT_FALSE(transport_->supports_unreliable());
    EXPECT_FALSE(transport_->supports_punch());
    EXPECT_FALSE(transport_->can_connect_from());
    EXPECT_EQ(refusal_of([&] { transport_->open_port("0.0.0.0:0", {}); }),
              "the loop transport opens no ports (ABI 1.5)");
    EXPECT_EQ(refusal_of([&] { transport_->connect_from("abi14-test", "abi14-test", 0, 1s); }),
              "the loop transport cannot dial from a given port (ABI 1.5)");

    ASSERT_NO_FATAL_FAILURE(connect());
    at_listener_.collect_channels_from(*accepted_);  // gets its one stream as channel 0, reliable
    const Bytes first = pattern(10, 7);
    const Bytes second = pattern(20, 8);
    accepted_->send_on(0, 0, buffer_of(first));  // channel 0, reliable: its send()
    for (const auto& [channel, flags] : {std::pair{1u, 0u}, {0u, uint32_t{TETHER_SEND_UNRELIABLE}}})
        EXPECT_EQ(refusal_of([&] { accepted_->send_on(channel, flags, buffer_of(second)); }),
                  "send: the loop transport has only channel 0, reliable (ABI 1.5)");
    accepted_->send(buffer_of(second));  // a refusal leaves the connection as it was
    dialer_->send(buffer_of(first));

    ASSERT_TRUE(at_dialer_.wait_for_messages(2));
    EXPECT_EQ(at_dialer_.messages(), (std::vector<Bytes>{first, second}));
    ASSERT_TRUE(at_listener_.wait_for_messages(1));
    const Received received = at_listener_.received().front();
    EXPECT_EQ(received.channel, 0u);
    EXPECT_EQ(received.flags, 0u);
    EXPECT_EQ(received.bytes, first);
}

TEST_F(Abi14Transport, AnEncryptedChannelRunsOverItItsMediaLaneOnTheOneStream) {
    const security::Identity identity = security::fresh_identity();
    auto dialer = transport_->connect(listener_->address(), 1s);
    auto accepted = accepts_.next();
    ASSERT_NE(accepted, nullptr);
    std::promise<BufferRef> hello;
    auto host = net::SecureChannel::serve(
        std::move(accepted), [&](BufferRef client_hello) { hello.set_value(std::move(client_hello)); },
        at_listener_.message_fn(), at_listener_.closed_fn());
    host->listen();
    // The host answers on a thread of its own, as it must not on the transport's.
    auto answered = std::async(std::launch::async, [&, said = hello.get_future()]() mutable {
        if (said.wait_for(10s) != std::future_status::ready) throw std::runtime_error("no hello came");
        host->respond(identity, said.get());
    });
    const auto check = [&](const std::string&, const security::PublicKey& key) {
        if (key != identity.public_key) throw net::HandshakeError("not our host");
    };
    auto viewer = net::SecureChannel::connect(std::move(dialer), check);
    answered.get();
    viewer->start(at_dialer_.message_fn(), at_dialer_.closed_fn());

    const Bytes request = pattern(100, 9);
    const Bytes reply = pattern(3000, 10);
    const Bytes picture = pattern(2000, 11);
    viewer->send(request);
    host->send(reply);
    // No media lane on a transport of minor 4: what a session sends there goes in order on the one stream.
    EXPECT_FALSE(host->has_media_lane());
    host->send(picture, net::Lane::MediaDroppable);
    ASSERT_TRUE(at_listener_.wait_for_messages(1));
    ASSERT_TRUE(at_dialer_.wait_for_messages(2));
    EXPECT_EQ(at_listener_.messages(), std::vector<Bytes>{request});
    EXPECT_EQ(at_dialer_.messages(), (std::vector<Bytes>{reply, picture}));
    viewer->close("done");
    EXPECT_TRUE(at_listener_.wait_for_close().has_value());
}

}  // namespace
}  // namespace tether::test
