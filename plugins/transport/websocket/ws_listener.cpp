#include "ws_listener.h"

#include "host_port.h"
#include "plugin_log.h"
#include "ws_transport.h"

#include <vector>

namespace tether::ws {

WsListener::WsListener(WsTransport& transport, const boost::asio::ip::tcp::endpoint& endpoint, std::string path,
                       tether_accept_fn on_accept, void* ctx)
    : transport_(transport),
      path_(std::move(path)),
      on_accept_(on_accept),
      ctx_(ctx),
      // Stopped before this listener goes (stop(), close()), so `this` outlives every call.
      acceptor_(std::make_shared<transport::SocketAcceptor>(
          transport.network(), endpoint, [this](boost::asio::ip::tcp::socket socket) { upgrade(std::move(socket)); },
          kPluginName)) {}

void WsListener::close() {
    transport_.network().run_and_wait([this] {
        const auto keep = shared_from_this();  // forget() may drop the last other reference
        stop();
        transport_.forget(this);
    });
}

void WsListener::stop() {
    stopped_ = true;
    acceptor_->stop();
    // Each upgrade ends through upgraded(), which edits the set: cancel from a copy.
    const std::vector<std::shared_ptr<WsUpgrade>> under_way(upgrading_.begin(), upgrading_.end());
    for (const auto& upgrade : under_way) upgrade->cancel();
}

void WsListener::upgrade(boost::asio::ip::tcp::socket socket) {
    boost::system::error_code gone;
    const auto peer = socket.remote_endpoint(gone);
    if (gone) return;  // it left before we got to it
    size_t& from_source = upgrading_by_source_[peer.address()];
    if (upgrading_.size() >= kMaxUpgrading || from_source >= kMaxUpgradingPerSource) {
        if (from_source == 0) upgrading_by_source_.erase(peer.address());
        log(TETHER_LOG_DEBUG, "too many upgrades under way; dropped a connection from " + transport::format_endpoint(peer));
        return;  // the socket closes as it goes
    }
    ++from_source;
    auto upgrade = std::make_shared<WsUpgrade>(
        std::move(socket), path_,
        // Each upgrade keeps the listener until it ends (in time, or at stop()).
        [self = shared_from_this(), peer](WsUpgrade& done, std::optional<WsStream> stream) {
            self->upgraded(done, std::move(stream), peer);
        });
    upgrading_.insert(upgrade);
    upgrade->start(kUpgradeTimeout);
}

void WsListener::upgraded(WsUpgrade& upgrade, std::optional<WsStream> stream,
                          const boost::asio::ip::tcp::endpoint& peer) {
    const auto keep = upgrade.shared_from_this();
    upgrading_.erase(keep);
    const auto source = upgrading_by_source_.find(peer.address());
    if (source != upgrading_by_source_.end() && --source->second == 0) upgrading_by_source_.erase(source);
    if (!stream || stopped_) return;
    const std::string peer_address = transport::format_endpoint(peer);
    on_accept_(ctx_, transport_.keep(std::make_shared<WsConnection>(transport_, std::move(*stream), false)),
               peer_address.c_str());
}

}  // namespace tether::ws
