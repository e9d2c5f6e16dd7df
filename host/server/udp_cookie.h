// Stateless cookies for UDP registrations: a keyed BLAKE2b over the source
// address, the ID and a 30-second time slot, so the server remembers nothing
// about a source until it has proved it receives at its address. A cookie is
// good in its own slot and the next one.
#pragma once

#include <boost/asio/ip/udp.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace tether::server {

constexpr int64_t kCookieSlotSeconds = 30;

class UdpCookies {
public:
    using Secret = std::array<uint8_t, 32>;
    using Cookie = std::array<uint8_t, 16>;

    UdpCookies();  // a random secret of this process's own
    explicit UdpCookies(const Secret& secret) : secret_(secret) {}

    Cookie make(const boost::asio::ip::udp::endpoint& source, const std::string& id, int64_t now_unix) const;
    bool check(const boost::asio::ip::udp::endpoint& source, const std::string& id, std::span<const uint8_t> cookie,
               int64_t now_unix) const;

private:
    Cookie for_slot(const boost::asio::ip::udp::endpoint& source, const std::string& id, int64_t slot) const;

    Secret secret_{};
};

}  // namespace tether::server
