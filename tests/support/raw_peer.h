// A peer on a plain blocking socket that speaks transport-tcp's framing
// (4-byte little-endian length, then the bytes) and nothing else, so tests
// can send exactly the bytes they want: tampered records, truncated frames,
// or nothing at all.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tether::test {

// "127.0.0.1:port" as a socket address; throws std::runtime_error when malformed.
sockaddr_in ipv4_address(const std::string& address);

struct PeerOptions {
    std::string source;      // a local IPv4 address to connect from ("127.0.0.7"): another source to the host
    int receive_buffer = 0;  // SO_RCVBUF in bytes; 0 leaves the kernel's default
};

class RawPeer {
public:
    explicit RawPeer(const std::string& address, const PeerOptions& options = {});  // "127.0.0.1:port"
    ~RawPeer();
    RawPeer(const RawPeer&) = delete;
    RawPeer& operator=(const RawPeer&) = delete;

    void send_frame(std::span<const uint8_t> message);
    void send_bytes(std::span<const uint8_t> bytes);  // raw, no framing
    void send_length(uint32_t length);                // a frame header alone
    void shutdown_write();
    // The next whole frame, or nullopt when the peer closed or the time ran out.
    std::optional<std::vector<uint8_t>> receive_frame(std::chrono::milliseconds timeout);
    // Reads and discards until the peer closes; false if it is still open at the deadline.
    bool wait_closed(std::chrono::milliseconds timeout);
    int fd() const { return fd_; }

protected:
    // Until received_ holds `size` bytes, or false at the deadline or the end of the stream.
    bool read_until(size_t size, std::chrono::steady_clock::time_point deadline);
    std::vector<uint8_t> received_;  // the frame being read

private:
    int fd_ = -1;
};

}  // namespace tether::test
