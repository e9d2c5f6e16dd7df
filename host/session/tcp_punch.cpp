#include "tcp_punch.h"

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// The peer's SYNs arrive within a round trip of ours once both know to dial.
constexpr auto kTcpPunchTimeout = 5s;

}  // namespace

std::function<std::unique_ptr<Connection>()> tcp_punch(std::shared_ptr<Transport> transport,
                                                       const std::string& listening, const std::string& peer_public) {
    if (!transport->can_connect_from()) return {};
    return [transport = std::move(transport), listening, peer_public] {
        return transport->connect_from(listening, peer_public, kPunchFirstTtl, kTcpPunchTimeout);
    };
}

}  // namespace tether::session
