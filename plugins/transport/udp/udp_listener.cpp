#include "udp_listener.h"

#include "endpoint.h"
#include "plugin_log.h"
#include "udp_connection.h"
#include "udp_transport.h"

namespace tether::udp {

UdpListener::UdpListener(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, tether_accept_fn on_accept,
                         void* ctx)
    : transport_(transport),
      endpoint_(std::move(endpoint)), local_(endpoint_->local_address()), on_accept_(on_accept), ctx_(ctx) {
    endpoint_->serve_listener(this);
}

void UdpListener::hand_over(const std::shared_ptr<UdpConnection>& connection, const Address& from) {
    const std::string peer = format_address(from);
    on_accept_(ctx_, connection.get(), peer.c_str());
}

void UdpListener::close() { transport_.close_listener(this); }

void UdpListener::stop() {
    if (endpoint_ == nullptr) return;
    endpoint_->serve_listener(nullptr);
    endpoint_.reset();
}

}  // namespace tether::udp
