#include "udp_mapping.h"

#include "rendezvous/host_port_text.h"
#include "rendezvous/wire.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <stdexcept>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

constexpr size_t kKeptReplies = 16;
constexpr int kAsks = 2;
constexpr auto kAnswerWait = 200ms;
// Larger than any answer to a Binding or a Register over UDP.
constexpr size_t kAskSize = 200;

std::string ip_of(const std::string& endpoint) { return endpoint.substr(0, endpoint.rfind(':')); }

}  // namespace

Transport::DatagramFn DatagramReplies::sink() {
    return [this](const std::string& from, std::span<const uint8_t> bytes) {
        auto message = rendezvous::decode(bytes);
        if (!message) return;  // a stranger's datagram
        {
            std::lock_guard lock(mutex_);
            if (kept_.size() == kKeptReplies) kept_.pop_front();
            kept_.emplace_back(from, std::move(*message));
        }
        arrived_.notify_all();
    };
}

std::optional<proto::RendezvousMessage> DatagramReplies::wait(
    const std::string& from, const std::function<bool(const proto::RendezvousMessage&)>& wanted,
    std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<proto::RendezvousMessage> found;
    arrived_.wait_for(lock, timeout, [&] {
        for (auto it = kept_.begin(); it != kept_.end(); ++it) {
            if (it->first != from || !wanted(it->second)) continue;
            found = std::move(it->second);
            kept_.erase(it);
            return true;
        }
        return false;
    });
    return found;
}

std::string udp_server_address(const std::string& server) {
    const auto where = rendezvous::split_host_port(rendezvous::with_default_port(server, rendezvous::kDefaultRendezvousPort));
    boost::asio::io_context io;
    boost::asio::ip::udp::resolver resolver(io);
    boost::system::error_code ec;
    const auto found =
        resolver.resolve(where.host, std::to_string(where.port), boost::asio::ip::udp::resolver::numeric_service, ec);
    if (ec || found.empty()) throw std::runtime_error("cannot resolve " + server + ": " + (ec ? ec.message() : "no address"));
    const auto endpoint = found.begin()->endpoint();
    const std::string ip = endpoint.address().to_string();
    return (endpoint.address().is_v6() ? "[" + ip + "]" : ip) + ":" + std::to_string(endpoint.port());
}

std::optional<proto::RendezvousMessage> ask_over_udp(Port& port, DatagramReplies& replies, const std::string& server,
                                                     proto::RendezvousMessage message,
                                                     const std::function<bool(const proto::RendezvousMessage&)>& wanted) {
    const size_t size = message.ByteSizeLong();
    if (size < kAskSize) {
        std::string padding(kAskSize - size, '\0');
        if (message.has_binding()) message.mutable_binding()->set_padding(std::move(padding));
        if (message.has_register_()) message.mutable_register_()->set_padding(std::move(padding));
    }
    const auto bytes = rendezvous::encode(message);
    for (int ask = 0; ask < kAsks; ++ask) {
        port.send(server, bytes);
        if (auto answer = replies.wait(server, wanted, kAnswerWait)) return answer;
    }
    return std::nullopt;
}

std::optional<UdpMapping> learn_mapping(Port& port, DatagramReplies& replies, const std::string& server) {
    proto::RendezvousMessage binding;
    binding.mutable_binding();
    const auto is_reply = [](const proto::RendezvousMessage& m) { return m.has_binding_reply(); };
    const auto first = ask_over_udp(port, replies, server, binding, is_reply);
    if (!first || !rendezvous::is_endpoint_text(first->binding_reply().observed())) return std::nullopt;
    UdpMapping mapping{first->binding_reply().observed(), false};
    const uint32_t test_port = first->binding_reply().nat_test_port();
    if (test_port == 0 || test_port > 65535) return mapping;
    const auto second = ask_over_udp(port, replies, ip_of(server) + ":" + std::to_string(test_port), binding, is_reply);
    if (!second) return mapping;
    mapping.varies = second->binding_reply().observed() != mapping.observed;
    return mapping;
}

}  // namespace tether::session
