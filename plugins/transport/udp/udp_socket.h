// One UDP socket: non-blocking, closed on exec, and closed with the object
// unless ENet took it over (release()).
#pragma once

#include "address.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

namespace tether::udp {

class UdpSocket {
public:
    // Throws std::system_error naming the address on failure.
    static UdpSocket bind(const Address& local);

    UdpSocket(UdpSocket&& other) noexcept : fd_(other.release()) {}
    UdpSocket& operator=(UdpSocket&& other) noexcept;
    ~UdpSocket();

    int fd() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    Address local_address() const { return local_address_of(fd_); }
    static Address local_address_of(int fd);

    // One datagram to `to`; ttl 0 sends with the system's TTL (the socket's
    // own setting never changes, so other senders on it are unaffected).
    static std::error_code send_to(int fd, const Address& to, std::span<const uint8_t> bytes, int ttl = 0);
    std::error_code send_to(const Address& to, std::span<const uint8_t> bytes, int ttl = 0) const {
        return send_to(fd_, to, bytes, ttl);
    }

    struct Received {
        Address from;
        size_t size = 0;
        bool truncated = false;  // larger than the buffer: the rest is lost
    };
    // Nullopt when nothing is waiting.
    std::optional<Received> receive(std::span<uint8_t> buffer) const;

private:
    explicit UdpSocket(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace tether::udp
