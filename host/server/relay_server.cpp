#include "relay_server.h"

#include "endpoint_text.h"
#include "relay_answer.h"
#include "relay_newcomer.h"
#include "relay_session.h"
#include "relay_state.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <stdexcept>
#include <vector>

namespace tether::server {
namespace {

using boost::asio::ip::tcp;

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

void bind_acceptor(tcp::acceptor& acceptor, const std::string& listen) {
    const tcp::endpoint endpoint = parse_endpoint(listen);
    boost::system::error_code ec;
    const auto check = [&](const char* step) {
        if (ec) throw std::runtime_error(std::string(step) + " " + listen + ": " + ec.message());
    };
    acceptor.open(endpoint.protocol(), ec);
    check("cannot open a socket for");
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);  // a restarted relay takes its port back at once
    check("cannot set SO_REUSEADDR for");
    acceptor.bind(endpoint, ec);
    check("cannot bind");
    acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
    check("cannot listen on");
}

// Why a connection is refused before its hello is read, if it is.
const char* admission_refusal(const RelayState& state, const boost::asio::ip::address& source) {
    if (state.session_count >= state.options.max_sessions) return "relay full";
    if (state.unpaired_count >= state.options.max_unpaired) return "too many unpaired connections";
    const auto from_source = state.unpaired_by_source.find(source);
    if (from_source != state.unpaired_by_source.end() && from_source->second >= state.options.max_unpaired_per_source)
        return "too many unpaired connections";
    return nullptr;
}

void admit(const std::shared_ptr<RelayState>& state, RelayPeer peer) {
    boost::system::error_code gone;
    const auto source = peer.socket.remote_endpoint(gone).address();
    if (gone) return;  // it left before we got to it
    if (const char* refusal = admission_refusal(*state, source)) {
        state->metrics.refuse(refusal);
        send_relay_answer(peer.socket, peer.framing, false, refusal);
        return;  // the socket closes here
    }
    std::make_shared<RelayNewcomer>(state, std::move(peer), source)->start();
}

void accept_next(const std::shared_ptr<RelayState>& state) {
    state->acceptor.async_accept([state](const boost::system::error_code& ec, tcp::socket socket) {
        if (state->stopped) return;
        if (!ec) {
            admit(state, {std::move(socket), Framing::LengthPrefixed});
            return accept_next(state);
        }
        // Out of descriptors or memory, for a while: the relay goes on once some close.
        spdlog::warn("relay: accept failed: {}; accepting again shortly", ec.message());
        state->accept_retry.expires_after(kAcceptRetryDelay);
        state->accept_retry.async_wait([state](const boost::system::error_code& waited) {
            if (!waited && !state->stopped) accept_next(state);
        });
    });
}

}  // namespace

RelayState::RelayState(boost::asio::io_context& io, RelayOptions options, ServerMetrics& metrics)
    : io(io),
      options(std::move(options)),
      metrics(metrics),
      acceptor(io),
      accept_retry(io),
      copy_pool(this->options.splice),
      session_rate(byte_rate(this->options.session_bytes_per_s)),
      total_rate(byte_rate(this->options.total_bytes_per_s)),
      total_budget(total_rate, TokenBucket::Clock::now()) {}

struct RelayServer::State : RelayState {
    using RelayState::RelayState;
};

RelayServer::RelayServer(boost::asio::io_context& io, RelayOptions options, ServerMetrics& metrics)
    : state_(std::make_shared<State>(io, std::move(options), metrics)) {
    // splice(2) into a socket has no MSG_NOSIGNAL: a peer that vanishes must
    // be an error on its session, never the end of the process.
    std::signal(SIGPIPE, SIG_IGN);
    bind_acceptor(state_->acceptor, state_->options.listen);
    accept_next(state_);
}

RelayServer::~RelayServer() { stop(); }

std::string RelayServer::address() const {
    boost::system::error_code ec;
    const auto endpoint = state_->acceptor.local_endpoint(ec);
    return ec ? std::string() : format_endpoint(endpoint.address(), endpoint.port());
}

void RelayServer::adopt_websocket(UpgradedSocket socket) {
    boost::asio::post(state_->io, [state = state_, socket = std::move(socket)]() mutable {
        if (state->stopped) return;
        try {
            admit(state, {socket.take<tcp::socket>(state->io.get_executor()), Framing::WebSocket});
        } catch (const boost::system::system_error& e) {
            spdlog::warn("relay: cannot take a WebSocket peer: {}", e.what());
        }
    });
}

size_t RelayServer::sessions() const { return state_->session_count; }

size_t RelayServer::unpaired() const { return state_->unpaired_count; }

void RelayServer::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    boost::system::error_code ignored;
    state_->acceptor.close(ignored);
    state_->accept_retry.cancel();
    // Closing takes each out of the sets: close copies.
    const std::vector<RelayNewcomer*> newcomers(state_->newcomers.begin(), state_->newcomers.end());
    for (RelayNewcomer* newcomer : newcomers) newcomer->close();
    const std::vector<RelaySession*> sessions(state_->sessions.begin(), state_->sessions.end());
    for (RelaySession* session : sessions) session->close();
}

}  // namespace tether::server
