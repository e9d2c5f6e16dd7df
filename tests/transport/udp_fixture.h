// Pieces of the UDP transport tests: the fixture, which also checks that
// every descriptor the transport opened is closed again; raw UDP sockets that
// play a stranger or a silent peer; a relay that can drop or cut a path; and
// punch plans.
#pragma once

#include "loopback.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <thread>

namespace tether::test {

class UdpTransportTest : public LoopbackTransportTest {
protected:
    UdpTransportTest() : LoopbackTransportTest("udp") {}
    void SetUp() override;
    void TearDown() override;

private:
    size_t descriptors_before_ = 0;
};

// How many descriptors this process has open (/proc/self/fd).
size_t open_descriptors();

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
        Bytes bytes;
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

// 16 bytes that differ with `seed`.
Bytes token_of(uint8_t seed);
// 16 random bytes: a punch that probes a whole address meets no other run's punch.
Bytes random_token();

PunchPlan plan_for(const std::string& peer, uint32_t method, uint32_t role, const Bytes& token,
                   std::chrono::milliseconds timeout = 20s);

}  // namespace tether::test
