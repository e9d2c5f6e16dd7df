// What `tether bench relay` runs: a relay on its own io_context thread, with
// the rendezvous key that signs its tokens, and peers on plain blocking
// loopback sockets that cost the bench process nothing but their descriptors,
// so the process's memory growth is the relay's.
#pragma once

#include "security/identity.h"
#include "server/relay_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <utility>

namespace tether::cli {

// A loopback TCP connection's descriptor, closed with it.
class BenchSocket {
public:
    explicit BenchSocket(int fd = -1) : fd_(fd) {}
    BenchSocket(BenchSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    BenchSocket& operator=(BenchSocket&& other) noexcept;
    ~BenchSocket();
    int fd() const { return fd_; }
    // Throws std::runtime_error on any failure.
    static BenchSocket connect_to(uint16_t port);
    void write_all(std::span<const uint8_t> bytes) const;
    void read_exactly(std::span<uint8_t> into) const;

private:
    int fd_;
};

struct PairedPeers {
    BenchSocket host, viewer;
};

class BenchRelay {
public:
    explicit BenchRelay(bool splice);
    ~BenchRelay();
    BenchRelay(const BenchRelay&) = delete;
    BenchRelay& operator=(const BenchRelay&) = delete;

    uint16_t port() const { return port_; }
    size_t sessions() const { return relay_->sessions(); }
    double cpu_seconds() const;  // the relay's thread's, so far
    // A host and a viewer that presented a fresh token and were answered paired; throws when refused.
    PairedPeers pair();

private:
    server::ServerMetrics metrics_;
    const security::Identity rendezvous_ = security::fresh_identity();
    const security::Identity host_ = security::fresh_identity();
    const security::Identity viewer_ = security::fresh_identity();
    boost::asio::io_context io_;
    std::unique_ptr<server::RelayServer> relay_;
    uint16_t port_ = 0;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::thread thread_;
};

}  // namespace tether::cli
