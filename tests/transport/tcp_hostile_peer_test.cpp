// A raw socket speaking the wire format (4-byte little-endian length, then
// the bytes) to the tcp transport: fragments, lies and the format itself.
#include "loopback.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <thread>

namespace tether::test {
namespace {

using boost::asio::ip::tcp;

Bytes frame(const Bytes& message) {
    const auto size = static_cast<uint32_t>(message.size());
    Bytes framed = {static_cast<uint8_t>(size), static_cast<uint8_t>(size >> 8), static_cast<uint8_t>(size >> 16),
                    static_cast<uint8_t>(size >> 24)};
    framed.insert(framed.end(), message.begin(), message.end());
    return framed;
}

class RawPeerTest : public TcpTransportTest {
protected:
    void SetUp() override {
        TcpTransportTest::SetUp();
        if (HasFatalFailure()) return;
        listener_ = listen_loopback(accepted_);
        raw_.connect(endpoint_of(listener_->address()));
        server_ = accepted_.next();
        ASSERT_TRUE(server_);
    }
    void TearDown() override {
        server_.reset();
        listener_.reset();
        TcpTransportTest::TearDown();
    }

    Inbox at_server_;  // outlives the connection that reports to it
    AcceptQueue accepted_;
    std::unique_ptr<Listener> listener_;
    boost::asio::io_context io_;
    tcp::socket raw_{io_};
    std::unique_ptr<Connection> server_;
};

TEST_F(RawPeerTest, MessagesSplitAtEveryByteArriveWhole) {
    at_server_.collect_from(*server_);
    const std::vector<Bytes> sent = {{}, pattern(5, 1), {}, pattern(300, 2)};
    Bytes stream;
    for (const auto& message : sent) {
        const Bytes framed = frame(message);
        stream.insert(stream.end(), framed.begin(), framed.end());
    }
    raw_.set_option(tcp::no_delay(true));
    for (const uint8_t byte : stream) {
        boost::asio::write(raw_, boost::asio::buffer(&byte, 1));
        std::this_thread::sleep_for(100us);
    }
    ASSERT_TRUE(at_server_.wait_for_messages(sent.size()));
    EXPECT_EQ(at_server_.messages(), sent);
}

TEST_F(RawPeerTest, ManyMessagesInOneSegmentAllArrive) {
    at_server_.collect_from(*server_);
    std::vector<Bytes> sent;
    Bytes stream;
    for (uint32_t i = 0; i < 500; ++i) {
        sent.push_back(pattern(i % 7, i));
        const Bytes framed = frame(sent.back());
        stream.insert(stream.end(), framed.begin(), framed.end());
    }
    boost::asio::write(raw_, boost::asio::buffer(stream));
    ASSERT_TRUE(at_server_.wait_for_messages(sent.size()));
    EXPECT_EQ(at_server_.messages(), sent);
}

TEST_F(RawPeerTest, SentMessagesUseTheDocumentedWireFormat) {
    at_server_.collect_from(*server_);
    server_->send(buffer_of({'h', 'i', '!'}));
    server_->send(buffer_of({}));
    Bytes received(3 + 4 + 4);
    boost::asio::read(raw_, boost::asio::buffer(received));
    EXPECT_EQ(received, (Bytes{3, 0, 0, 0, 'h', 'i', '!', 0, 0, 0, 0}));
}

TEST_F(RawPeerTest, AnOversizedLengthClosesTheConnectionWithoutAllocatingIt) {
    at_server_.collect_from(*server_);
    const Bytes one_gib_header = {0x00, 0x00, 0x00, 0x40};  // 1 GiB, little-endian

#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer reserves its heap up front, so a cap proves nothing there.
    boost::asio::write(raw_, boost::asio::buffer(one_gib_header));
    const auto reason = at_server_.wait_for_close();
#else
    std::optional<std::string> reason;
    {
        // Were the plugin to allocate the announced gigabyte, that would now
        // fail and end the connection with another reason (or the process).
        AddressSpaceCap cap(512u << 20);
        ASSERT_TRUE(cap.active()) << "cannot cap the address space";
        boost::asio::write(raw_, boost::asio::buffer(one_gib_header));
        reason = at_server_.wait_for_close();
    }
#endif
    EXPECT_EQ(reason, "message too large (1073741824 bytes > 16777216)");
    EXPECT_EQ(at_server_.message_count(), 0u);

    // The plugin closed its end: the raw peer reads the end of the stream.
    Bytes rest(1);
    boost::system::error_code ec;
    boost::asio::read(raw_, boost::asio::buffer(rest), ec);
    EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
}

TEST_F(RawPeerTest, APeerSpeakingAnotherProtocolIsNamedAsSuch) {
    at_server_.collect_from(*server_);
    const std::string http = "HTTP/1.1 400 Bad Request\r\n\r\n";
    boost::asio::write(raw_, boost::asio::buffer(http));
    EXPECT_EQ(at_server_.wait_for_close(), "the peer does not speak Tether: it sent \"HTTP...\"");
    EXPECT_EQ(at_server_.message_count(), 0u);
}

TEST_F(RawPeerTest, APeerThatLeavesMidMessageDeliversNothingOfIt) {
    at_server_.collect_from(*server_);
    Bytes partial = frame(pattern(100, 9));
    partial.resize(4 + 50);
    boost::asio::write(raw_, boost::asio::buffer(partial));
    raw_.close();
    EXPECT_EQ(at_server_.wait_for_close(), "closed by peer in the middle of a message (truncated frame)");
    EXPECT_EQ(at_server_.message_count(), 0u);
}

}  // namespace
}  // namespace tether::test
