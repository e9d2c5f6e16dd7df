#include "relay_bench_peer.h"

#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

#include <boost/asio/post.hpp>

#include <arpa/inet.h>
#include <pthread.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace tether::cli {
namespace {

// Long enough for a relay that is pairing thousands of sessions.
constexpr std::chrono::minutes kPairPatience{1};

std::runtime_error socket_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

void present(const BenchSocket& socket, const proto::RelayToken& token, bool host, const security::Identity& key) {
    proto::RendezvousMessage message;
    *message.mutable_relay_hello() = rendezvous::make_relay_hello(token, host, key);
    socket.write_all(rendezvous::encode_frame(message));
}

void expect_paired(const BenchSocket& socket) {
    const auto message = rendezvous::read_frame([&](std::span<uint8_t> into) {
        socket.read_exactly(into);  // throws when the connection fails
        return true;
    });
    if (!message || !message->has_relay_answer()) throw std::runtime_error("the relay answered something else");
    if (!message->relay_answer().paired())
        throw std::runtime_error("the relay refused: " + message->relay_answer().refused());
}

}  // namespace

BenchSocket& BenchSocket::operator=(BenchSocket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

BenchSocket::~BenchSocket() {
    if (fd_ >= 0) ::close(fd_);
}

BenchSocket BenchSocket::connect_to(uint16_t port) {
    BenchSocket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (socket.fd() < 0) throw socket_error("cannot open a socket");
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0)
        throw socket_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    const timeval patience{std::chrono::seconds(kPairPatience).count(), 0};
    setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    return socket;
}

void BenchSocket::write_all(std::span<const uint8_t> bytes) const {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw socket_error("send failed");
        bytes = bytes.subspan(static_cast<size_t>(n));
    }
}

void BenchSocket::read_exactly(std::span<uint8_t> into) const {
    while (!into.empty()) {
        const ssize_t n = ::recv(fd_, into.data(), into.size(), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) throw std::runtime_error("the connection ended early");
        if (n < 0) throw socket_error("receive failed");
        into = into.subspan(static_cast<size_t>(n));
    }
}

BenchRelay::BenchRelay(bool splice) {
    server::RelayOptions options;
    options.listen = "127.0.0.1:0";
    options.rendezvous_key = rendezvous_.public_key;
    options.splice = splice;
    options.idle_timeout = std::chrono::hours(1);  // sessions idle while the others are set up
    relay_ = std::make_unique<server::RelayServer>(io_, options, metrics_);
    port_ = static_cast<uint16_t>(std::stoi(relay_->address().substr(relay_->address().rfind(':') + 1)));
    thread_ = std::thread([this] { io_.run(); });
}

BenchRelay::~BenchRelay() {
    boost::asio::post(io_, [this] { relay_->stop(); });
    work_.reset();
    thread_.join();
}

double BenchRelay::cpu_seconds() const {
    clockid_t clock;
    timespec used{};
    if (pthread_getcpuclockid(const_cast<std::thread&>(thread_).native_handle(), &clock) != 0 ||
        clock_gettime(clock, &used) != 0)
        return 0;
    return static_cast<double>(used.tv_sec) + static_cast<double>(used.tv_nsec) / 1e9;
}

PairedPeers BenchRelay::pair() {
    const auto token = rendezvous::make_relay_token(rendezvous_, host_.public_key, viewer_.public_key,
                                                    rendezvous::unix_now() + 60);
    PairedPeers peers{BenchSocket::connect_to(port_), BenchSocket::connect_to(port_)};
    present(peers.host, token, true, host_);
    present(peers.viewer, token, false, viewer_);
    expect_paired(peers.host);
    expect_paired(peers.viewer);
    return peers;
}

}  // namespace tether::cli
