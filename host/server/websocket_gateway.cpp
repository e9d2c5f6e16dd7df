#include "websocket_gateway.h"

#include "endpoint_text.h"
#include "refusal_reasons.h"
#include "websocket_handshake.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <stdexcept>
#include <list>
#include <vector>

namespace tether::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr auto kGatewayAcceptRetry = std::chrono::milliseconds(100);  // after EMFILE and the like

std::vector<std::string> paths_of(const WebSocketGateway::Routes& routes) {
    std::vector<std::string> paths;
    for (const auto& [path, route] : routes) paths.push_back(path);
    return paths;
}

}  // namespace

class GatewayUpgrade;

struct GatewayState : std::enable_shared_from_this<GatewayState> {
    using Routes = WebSocketGateway::Routes;

    GatewayState(asio::io_context& io_, WebSocketGatewayOptions options_, Routes routes_, ServerMetrics& metrics_)
        : io(io_),
          options(std::move(options_)),
          routes(std::move(routes_)),
          paths(paths_of(routes)),
          metrics(metrics_),
          acceptor(io_),
          accept_retry(io_) {}

    void bind();
    void accept();
    void admit(tcp::socket socket);

    asio::io_context& io;
    const WebSocketGatewayOptions options;
    const Routes routes;
    const std::vector<std::string> paths;
    ServerMetrics& metrics;
    tcp::acceptor acceptor;
    asio::steady_timer accept_retry;
    std::list<GatewayUpgrade*> upgrading;  // oldest first
    std::map<asio::ip::address, size_t> upgrading_by_source;
    std::atomic<size_t> upgrading_count{0};
    std::atomic<bool> stopped{false};
};

struct WebSocketGateway::State : GatewayState {
    using GatewayState::GatewayState;
};

// One connection from accept to its route: the request read as it comes, the
// answer written, then the socket handed over or closed.
class GatewayUpgrade : public std::enable_shared_from_this<GatewayUpgrade> {
public:
    GatewayUpgrade(std::shared_ptr<GatewayState> state, tcp::socket socket, asio::ip::address source)
        : state_(std::move(state)),
          socket_(std::move(socket)),
          deadline_(state_->io),
          request_(state_->paths),
          source_(source) {
        place_ = state_->upgrading.insert(state_->upgrading.end(), this);
        ++state_->upgrading_by_source[source_];
        ++state_->upgrading_count;
        state_->metrics.websocket_upgrading.Increment();
    }
    ~GatewayUpgrade() { leave(); }
    GatewayUpgrade(const GatewayUpgrade&) = delete;
    GatewayUpgrade& operator=(const GatewayUpgrade&) = delete;

    void start() {
        deadline_.expires_after(state_->options.upgrade_timeout);
        deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || self->left_) return;
            self->state_->metrics.refuse(refusal::kUpgradeTimeout);
            self->close();
        });
        read_next();
    }

    void close() {
        leave();
        deadline_.cancel();
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

private:
    void read_next() {
        socket_.async_read_some(asio::buffer(incoming_),
                                [self = shared_from_this()](const boost::system::error_code& ec, size_t count) {
                                    if (self->left_) return;
                                    if (ec) return self->close();  // gone before asking anything
                                    auto answer = self->request_.feed({self->incoming_.data(), count});
                                    if (!answer) return self->read_next();
                                    self->answer(std::move(*answer));
                                });
    }

    void answer(UpgradeRequest::Answer answer) {
        if (!answer.refusal.empty()) state_->metrics.refuse(answer.refusal);
        response_ = std::move(answer.response);
        path_ = std::move(answer.path);
        asio::async_write(socket_, asio::buffer(response_),
                          [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                              if (self->left_) return;
                              if (ec || self->path_.empty()) return self->close();
                              self->hand_over();
                          });
    }

    void hand_over() {
        const auto route = state_->routes.find(path_);
        boost::system::error_code ec;
        const tcp protocol = socket_.local_endpoint(ec).protocol();
        if (ec) return close();
        leave();
        deadline_.cancel();
        state_->metrics.websocket_upgrades.Increment();
        route->second(UpgradedSocket(socket_.release(), protocol));
    }

    void leave() {
        if (std::exchange(left_, true)) return;
        state_->upgrading.erase(place_);
        const auto source = state_->upgrading_by_source.find(source_);
        if (source != state_->upgrading_by_source.end() && --source->second == 0)
            state_->upgrading_by_source.erase(source);
        --state_->upgrading_count;
        state_->metrics.websocket_upgrading.Decrement();
    }

    std::shared_ptr<GatewayState> state_;
    tcp::socket socket_;
    asio::steady_timer deadline_;
    UpgradeRequest request_;
    const asio::ip::address source_;
    std::list<GatewayUpgrade*>::iterator place_;
    std::array<uint8_t, 1024> incoming_{};
    std::string response_;
    std::string path_;
    bool left_ = false;
};

void GatewayState::bind() {
    const tcp::endpoint where = parse_endpoint(options.listen);
    boost::system::error_code ec;
    acceptor.open(where.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);  // a restart takes its port back at once
    if (!ec) acceptor.bind(where, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("WebSocket port cannot listen on " + options.listen + ": " + ec.message());
}

void GatewayState::accept() {
    acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        if (self->stopped) return;
        if (!ec) {
            self->admit(std::move(socket));
            return self->accept();
        }
        // Out of descriptors or memory: retrying at once would spin.
        spdlog::warn("WebSocket port: accepting a connection failed: {}", ec.message());
        self->accept_retry.expires_after(kGatewayAcceptRetry);
        self->accept_retry.async_wait([self](const boost::system::error_code& waited) {
            if (!waited && !self->stopped) self->accept();
        });
    });
}

void GatewayState::admit(tcp::socket socket) {
    boost::system::error_code gone;
    const auto source = plain_address(socket.remote_endpoint(gone).address());
    if (gone) return;  // it left before we got to it
    const auto from_source = upgrading_by_source.find(source);
    if (from_source != upgrading_by_source.end() && from_source->second >= options.max_upgrading_per_source) {
        metrics.refuse(refusal::kTooManyConnections);
        return;  // the socket closes as it goes
    }
    // Full: the oldest makes way. Slow upgrades from many addresses then hold
    // the port only while they come faster than a real one finishes its round trip.
    if (upgrading.size() >= options.max_upgrading) {
        metrics.refuse(refusal::kTooManyConnections);
        upgrading.front()->close();
    }
    std::make_shared<GatewayUpgrade>(shared_from_this(), std::move(socket), source)->start();
}

WebSocketGateway::WebSocketGateway(asio::io_context& io, WebSocketGatewayOptions options, Routes routes,
                                   ServerMetrics& metrics)
    : state_(std::make_shared<State>(io, std::move(options), std::move(routes), metrics)) {
    try {
        state_->bind();
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("WebSocket port: ") + e.what());
    }
    state_->accept();
}

WebSocketGateway::~WebSocketGateway() { stop(); }

std::string WebSocketGateway::address() const {
    boost::system::error_code ec;
    const auto endpoint = state_->acceptor.local_endpoint(ec);
    return ec ? std::string() : format_endpoint(endpoint.address(), endpoint.port());
}

size_t WebSocketGateway::upgrading() const { return state_->upgrading_count; }

void WebSocketGateway::stop() {
    if (state_->stopped.exchange(true)) return;
    const auto close_all = [state = state_] {
        boost::system::error_code ignored;
        state->acceptor.close(ignored);
        state->accept_retry.cancel();
        // Closing takes each out of the set: close copies.
        const std::vector<GatewayUpgrade*> under_way(state->upgrading.begin(), state->upgrading.end());
        for (GatewayUpgrade* upgrade : under_way) upgrade->close();
    };
    if (state_->io.get_executor().running_in_this_thread()) return close_all();
    asio::post(state_->io, close_all);
}

}  // namespace tether::server
