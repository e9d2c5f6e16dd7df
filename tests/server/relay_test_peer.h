// A relay client for the tests: a plain blocking loopback socket whose every
// wait has a deadline, so a relay that misbehaves fails a test, never hangs it.
#pragma once

#include "rendezvous.pb.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tether::server::test {

using namespace std::chrono_literals;

// Generous: the tests run on loaded machines; a passing test never waits this long.
constexpr std::chrono::milliseconds kPatience = 20s;

class TestPeer {
public:
    // To "127.0.0.1:port" from `source` (any 127.x address); throws when it cannot connect.
    explicit TestPeer(const std::string& address, const std::string& source = "127.0.0.1");
    // A connection accepted on a test listener.
    explicit TestPeer(int connected_fd) : fd_(connected_fd) {}
    ~TestPeer();
    TestPeer(const TestPeer&) = delete;
    TestPeer& operator=(const TestPeer&) = delete;

    void send(std::span<const uint8_t> bytes);  // all of them, or throws
    void send_hello(const proto::RelayHello& hello);
    // The next frame, decoded; nullopt when the connection ended first or the frame is bad.
    std::optional<proto::RendezvousMessage> read_message();
    // The relay's answer frame; nullopt when the relay closed first.
    std::optional<proto::RelayAnswer> read_answer();
    // Up to `max` bytes, waiting at most `patience`; empty at the end of the stream (or an error).
    std::vector<uint8_t> receive(size_t max, std::chrono::milliseconds patience = kPatience);
    // True when the relay closes the connection within `patience`, skipping any bytes before.
    bool closed_within(std::chrono::milliseconds patience = kPatience);
    void shutdown_sending();
    void reset();  // closes with an RST
    int fd() const { return fd_; }

private:
    bool receive_exactly(uint8_t* into, size_t size);
    int fd_ = -1;
};

// FNV-1a over a stream fed in pieces.
struct Checksum {
    uint64_t value = 1469598103934665603ull;
    void add(std::span<const uint8_t> bytes);
};

// Deterministic bytes, different for each seed.
std::vector<uint8_t> test_bytes(size_t size, uint32_t seed);

}  // namespace tether::server::test
