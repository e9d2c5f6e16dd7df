// Plain UDP sockets for tests, and a relay between one client and a server
// that forwards datagrams both ways until told to drop some or all of them:
// loss without network namespaces.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace tether::test {

// Sends `bytes` to `to` as if from `from`, both "ip:port", through a raw IP
// socket: a stranger spoofing a peer's address. False where this process
// may not open one (it needs CAP_NET_RAW).
bool send_spoofed(const std::string& from, const std::string& to, std::span<const uint8_t> bytes);

// A plain UDP socket of the test's own.
class RawUdp {
public:
    explicit RawUdp(const std::string& ip = "127.0.0.1");
    ~RawUdp();
    RawUdp(const RawUdp&) = delete;
    RawUdp& operator=(const RawUdp&) = delete;

    int fd() const { return fd_; }
    const std::string& address() const { return address_; }  // "127.0.0.1:40123"
    void send_to(const std::string& address, std::span<const uint8_t> bytes) const;
    struct Datagram {
        std::string from;
        std::vector<uint8_t> bytes;
    };
    // Nullopt when nothing came within `timeout`.
    std::optional<Datagram> receive(std::chrono::milliseconds timeout) const;

private:
    int fd_;
    std::string address_;
};

// Stands between one client and a server, forwarding datagrams both ways
// until told to drop some or all of them.
class UdpRelay {
public:
    explicit UdpRelay(std::string server);
    ~UdpRelay();
    const std::string& address() const { return front_.address(); }  // where the client sends
    void drop_percent(int percent) { drop_percent_ = percent; }
    void cut() { drop_percent_ = 100; }

private:
    void run();
    bool dropping();

    const std::string server_;
    RawUdp front_;  // faces the client
    RawUdp back_;   // faces the server
    std::atomic<int> drop_percent_{0};
    std::atomic<bool> stop_{false};
    uint32_t random_ = 12345;  // the relay thread's own
    std::thread thread_;
};

}  // namespace tether::test
