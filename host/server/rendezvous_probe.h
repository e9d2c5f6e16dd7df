// A blocking client for the rendezvous server's TCP frames, one plain socket
// each (no event loop), for the tests and `tether bench rendezvous`: tens of
// thousands of them cost file descriptors and nothing else.
#pragma once

#include "rendezvous.pb.h"
#include "security/identity.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tether::server {

class ProbeConnection {
public:
    // Connects to "ip:port", from `source` (an IP address, any port) when not empty; std::runtime_error when it cannot.
    ProbeConnection(const std::string& server, std::chrono::milliseconds timeout, const std::string& source = {});
    ~ProbeConnection();
    ProbeConnection(ProbeConnection&& other) noexcept;
    ProbeConnection& operator=(ProbeConnection&&) = delete;
    ProbeConnection(const ProbeConnection&) = delete;

    bool send(const proto::RendezvousMessage& message);
    bool send_bytes(std::span<const uint8_t> bytes);
    // The next frame; nullopt when the server closed, went silent for the timeout or sent something unparsable.
    std::optional<proto::RendezvousMessage> receive();
    // True when the server closes the connection within the timeout (whatever it sends first is read and dropped).
    bool closed_by_server();
    std::string local_address() const;  // "ip:port"

private:
    bool read_exactly(uint8_t* data, size_t size);

    int fd_ = -1;
};

proto::RendezvousMessage register_request(const security::Identity& host, uint32_t listen_port = 0,
                                          const std::vector<std::string>& lan_addrs = {});
// Register, challenge, proof: the server's last word (Registered or RegisterRefused), nullopt when none came.
std::optional<proto::RendezvousMessage> register_host(ProbeConnection& connection,
                                                      const proto::RendezvousMessage& request,
                                                      const security::Identity& key);
proto::RendezvousMessage lookup_request(const std::string& id, const security::PublicKey& viewer_key,
                                        uint32_t listen_port = 0, const std::vector<std::string>& viewer_addrs = {});

}  // namespace tether::server
