#include "udp_port.h"

#include "endpoint.h"
#include "punch.h"
#include "punch_plan.h"
#include "udp_transport.h"

#include <future>
#include <stdexcept>

namespace tether::udp {

UdpPort::UdpPort(UdpTransport& transport, std::shared_ptr<Endpoint> endpoint, tether_datagram_fn on_datagram, void* ctx)
    : transport_(transport),
      local_(endpoint->local_address()),
      fd_(endpoint->fd()),
      on_datagram_(on_datagram),
      ctx_(ctx),
      endpoint_(std::move(endpoint)) {
    endpoint_->serve_port(this);
}

void UdpPort::send(const Address& to, std::span<const uint8_t> bytes) {
    // Straight from the caller's thread: a datagram on a socket is one system
    // call, and the socket stays open while open_ is set.
    std::lock_guard lock(mutex_);
    if (!open_) throw std::runtime_error("port closed");
    if (const auto error = UdpSocket::send_to(fd_, to, bytes))
        throw std::system_error(error, "cannot send to " + format_address(to));
}

UdpConnection* UdpPort::punch(const tether_punch_plan& raw) {
    if (transport_.network().is_current()) throw std::logic_error("punch blocks and cannot run on a transport thread");
    const PunchPlan plan = read_plan(raw);
    struct Outcome {
        UdpConnection* connection = nullptr;
        std::string error;
    };
    auto outcome = std::make_shared<std::promise<Outcome>>();
    auto ended = outcome->get_future();
    transport_.network().run_and_wait([&] {
        if (endpoint_ == nullptr) throw std::runtime_error("port closed");
        auto punch = std::make_shared<Punch>(
            transport_, endpoint_, plan,
            [this, outcome](const std::shared_ptr<Punch>& done, std::shared_ptr<UdpConnection> connection,
                            const std::string& error) {
                std::erase(punches_, done);
                outcome->set_value({connection.get(), error});
            });
        punches_.push_back(punch);
        punch->start();
    });
    Outcome result = ended.get();
    if (result.connection == nullptr) throw std::runtime_error(result.error);
    return result.connection;
}

void UdpPort::close() {
    transport_.network().run_and_wait([this] { stop("port closed"); });
}

void UdpPort::stop(const std::string& reason) {
    {
        std::lock_guard lock(mutex_);
        open_ = false;
    }
    const auto punches = punches_;  // each removes itself as it ends
    for (const auto& punch : punches) punch->cancel(reason);
    if (endpoint_ != nullptr) endpoint_->serve_port(nullptr);
    endpoint_.reset();
}

void UdpPort::deliver(const Address& from, std::span<const uint8_t> bytes) {
    if (on_datagram_ == nullptr) return;
    const std::string text = format_address(from);
    on_datagram_(ctx_, text.c_str(), bytes.data(), bytes.size());
}

}  // namespace tether::udp
