#include "udp_cookie.h"

#include "endpoint_text.h"

#include <sodium.h>

namespace tether::server {

UdpCookies::UdpCookies() { randombytes_buf(secret_.data(), secret_.size()); }

UdpCookies::Cookie UdpCookies::for_slot(const boost::asio::ip::udp::endpoint& source, const std::string& id,
                                        int64_t slot) const {
    // The fields are fixed-size but the ID, which goes last: no two inputs hash alike.
    const auto address = plain_address(source.address());
    const auto v6 = address.is_v4() ? boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, address.to_v4())
                                    : address.to_v6();
    const auto address_bytes = v6.to_bytes();
    const uint16_t port = source.port();
    crypto_generichash_state state;
    crypto_generichash_init(&state, secret_.data(), secret_.size(), sizeof(Cookie));
    crypto_generichash_update(&state, address_bytes.data(), address_bytes.size());
    const uint8_t port_bytes[2] = {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)};
    crypto_generichash_update(&state, port_bytes, sizeof port_bytes);
    uint8_t slot_bytes[8];
    for (int i = 0; i < 8; ++i) slot_bytes[i] = static_cast<uint8_t>(static_cast<uint64_t>(slot) >> (8 * i));
    crypto_generichash_update(&state, slot_bytes, sizeof slot_bytes);
    crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(id.data()), id.size());
    Cookie cookie{};
    crypto_generichash_final(&state, cookie.data(), cookie.size());
    return cookie;
}

UdpCookies::Cookie UdpCookies::make(const boost::asio::ip::udp::endpoint& source, const std::string& id,
                                    int64_t now_unix) const {
    return for_slot(source, id, now_unix / kCookieSlotSeconds);
}

bool UdpCookies::check(const boost::asio::ip::udp::endpoint& source, const std::string& id,
                       std::span<const uint8_t> cookie, int64_t now_unix) const {
    if (cookie.size() != sizeof(Cookie)) return false;
    const int64_t slot = now_unix / kCookieSlotSeconds;
    for (const int64_t candidate : {slot, slot - 1}) {
        const Cookie expected = for_slot(source, id, candidate);
        if (sodium_memcmp(expected.data(), cookie.data(), expected.size()) == 0) return true;
    }
    return false;
}

}  // namespace tether::server
