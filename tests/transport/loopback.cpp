#include "loopback.h"

#include "build_parts.h"
#include "core/buffer.h"

#include <cstring>
#include <fstream>
#include <random>

namespace tether::test {

// ---- Inbox ----

Connection::MessageFn Inbox::message_fn() {
    return [this](std::span<const uint8_t> message) { add({0, 0, {message.begin(), message.end()}}); };
}

Connection::ChannelMessageFn Inbox::channel_message_fn() {
    return [this](uint32_t channel, uint32_t flags, std::span<const uint8_t> message) {
        add({channel, flags, {message.begin(), message.end()}});
    };
}

void Inbox::add(Received message) {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(message));
    changed_.notify_all();
}

Connection::ClosedFn Inbox::closed_fn() {
    return [this](const std::string& reason) {
        std::lock_guard lock(mutex_);
        closed_reason_ = reason;
        ++closed_count_;
        changed_.notify_all();
    };
}

bool Inbox::wait_for_messages(size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

std::optional<std::string> Inbox::wait_for_close(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return closed_reason_.has_value(); });
    return closed_reason_;
}

std::vector<Bytes> Inbox::messages() const {
    std::lock_guard lock(mutex_);
    std::vector<Bytes> bytes;
    for (const Received& message : messages_) bytes.push_back(message.bytes);
    return bytes;
}

std::vector<Received> Inbox::received() const {
    std::lock_guard lock(mutex_);
    return messages_;
}

size_t Inbox::message_count() const {
    std::lock_guard lock(mutex_);
    return messages_.size();
}

int Inbox::closed_count() const {
    std::lock_guard lock(mutex_);
    return closed_count_;
}

// ---- AcceptQueue ----

Transport::AcceptFn AcceptQueue::accept_fn() {
    return [this](std::unique_ptr<Connection> connection, const std::string& peer) {
        std::lock_guard lock(mutex_);
        accepted_.push_back(std::move(connection));
        last_peer_ = peer;
        arrived_.notify_all();
    };
}

std::unique_ptr<Connection> AcceptQueue::next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, timeout, [&] { return !accepted_.empty(); })) return nullptr;
    auto connection = std::move(accepted_.front());
    accepted_.pop_front();
    return connection;
}

std::string AcceptQueue::last_peer() const {
    std::lock_guard lock(mutex_);
    return last_peer_;
}

// ---- fixture ----

void LoopbackTransportTest::SetUp() {
    registry_.load_search_path(plugin_search_path({}));
    const Factory* factory = registry_.find(TETHER_KIND_TRANSPORT, factory_);
    ASSERT_NE(factory, nullptr) << "the " << factory_ << " transport plugin was not found on the plugin path";
    buffers_before_ = live_buffer_count();
    transport_ = Transport::create(*factory);
}

void LoopbackTransportTest::TearDown() {
    pair_listener_.reset();
    transport_.reset();
    // Every buffer the transport queued has been given back.
    EXPECT_EQ(live_buffer_count(), buffers_before_);
}

void WebSocketTransportTest::SetUp() {
    TETHER_REQUIRE_BUILT("transport-websocket");
    LoopbackTransportTest::SetUp();
}

void EveryTransport::SetUp() {
    TETHER_REQUIRE_BUILT(GetParam() == "ws" ? "transport-websocket" : "transport-tcp");
    LoopbackTransportTest::SetUp();
}

std::unique_ptr<Listener> LoopbackTransportTest::listen_loopback(AcceptQueue& accepted) {
    return transport_->listen("127.0.0.1:0", accepted.accept_fn());
}

std::unique_ptr<Connection> LoopbackTransportTest::accept_dialed(const DialFn& dial) {
    if (!pair_listener_) pair_listener_ = listen_loopback(pair_accepts_);
    dial(pair_listener_->address());
    auto server = pair_accepts_.next();
    EXPECT_NE(server, nullptr) << "the listener accepted nothing";
    return server;
}

ConnectedPair LoopbackTransportTest::connect_pair() {
    ConnectedPair pair;
    pair.server = accept_dialed([&](const std::string& address) { pair.client = transport_->connect(address, 5s); });
    return pair;
}

RawPair LoopbackTransportTest::connect_raw() {
    RawPair pair{boost::asio::ip::tcp::socket(raw_io_), nullptr};
    pair.server = accept_dialed([&](const std::string& address) { pair.raw.connect(endpoint_of(address)); });
    return pair;
}

ConnectedPair LoopbackTransportTest::connect_collected(Inbox* at_client, Inbox* at_server, bool channels) {
    ConnectedPair pair = connect_pair();
    if (!pair.server) return pair;
    for (auto [connection, inbox] : {std::pair{pair.client.get(), at_client}, {pair.server.get(), at_server}}) {
        if (inbox == nullptr) continue;
        if (channels) {
            inbox->collect_channels_from(*connection);
        } else {
            inbox->collect_from(*connection);
        }
    }
    return pair;
}

// ---- helpers ----

std::string connect_error(Transport& transport, const std::string& address, std::chrono::milliseconds timeout) {
    try {
        transport.connect(address, timeout);
    } catch (const PluginError& e) {
        return e.what();
    }
    return "connected";
}

AddressSpaceCap::AddressSpaceCap(size_t headroom) {
    getrlimit(RLIMIT_AS, &saved_);
    std::ifstream status("/proc/self/status");
    std::string line;
    size_t used_kib = 0;
    while (std::getline(status, line))
        if (line.starts_with("VmSize:")) used_kib = std::stoul(line.substr(7));
    rlimit capped = saved_;
    capped.rlim_cur = used_kib * 1024 + headroom;
    active_ = used_kib > 0 && setrlimit(RLIMIT_AS, &capped) == 0;
}

AddressSpaceCap::~AddressSpaceCap() { setrlimit(RLIMIT_AS, &saved_); }

Bytes pattern(size_t size, uint32_t seed) {
    std::minstd_rand random(seed + 1);
    Bytes bytes(size);
    for (auto& byte : bytes) byte = static_cast<uint8_t>(random());
    return bytes;
}

BufferRef buffer_of(const Bytes& bytes) { return BufferRef::copy_of(bytes); }

boost::asio::ip::tcp::endpoint endpoint_of(const std::string& address) {
    const size_t colon = address.rfind(':');
    std::string host = address.substr(0, colon);
    if (host.starts_with('[')) host = host.substr(1, host.size() - 2);
    const auto port = static_cast<uint16_t>(std::stoi(address.substr(colon + 1)));
    return {boost::asio::ip::make_address(host), port};
}

}  // namespace tether::test
