// A listening socket whose connections become the host's once their
// WebSocket upgrade is done. Upgrades under way are bounded, in all and per
// source address, since the host sees none of them until they finish.
#pragma once

#include "socket_acceptor.h"
#include "ws_upgrade.h"

#include <tether/plugin.h>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>

namespace tether::ws {

class WsTransport;

class WsListener : public std::enable_shared_from_this<WsListener> {
public:
    static constexpr size_t kMaxUpgrading = 128;
    static constexpr size_t kMaxUpgradingPerSource = 8;
    static constexpr std::chrono::seconds kUpgradeTimeout{10};

    // Binds and listens at once; throws std::runtime_error with the reason.
    // Upgrades to `path` are accepted; requests for others are answered 404.
    WsListener(WsTransport& transport, const boost::asio::ip::tcp::endpoint& endpoint, std::string path,
               tether_accept_fn on_accept, void* ctx);
    WsListener(const WsListener&) = delete;
    WsListener& operator=(const WsListener&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_->local_endpoint(); }

    // From any thread; once it returns no accept callback runs and the handle is gone.
    void close();

    // ---- network thread ----
    void accept_next() { acceptor_->accept_next(); }
    void stop();  // and every upgrade under way

private:
    void upgrade(boost::asio::ip::tcp::socket socket);
    void upgraded(WsUpgrade& upgrade, std::optional<WsStream> stream, const boost::asio::ip::tcp::endpoint& peer);

    WsTransport& transport_;
    const std::string path_;
    tether_accept_fn on_accept_;
    void* ctx_;
    std::shared_ptr<transport::SocketAcceptor> acceptor_;
    std::unordered_set<std::shared_ptr<WsUpgrade>> upgrading_;
    std::map<boost::asio::ip::address, size_t> upgrading_by_source_;
    bool stopped_ = false;
};

}  // namespace tether::ws
