#include "serve_command.h"

#include "core/logging.h"
#include "rendezvous/host_port_text.h"
#include "rendezvous/wire.h"
#include "security/data_dir.h"
#include "security/key_text.h"
#include "server/relay_announcer.h"
#include "server/endpoint_text.h"
#include "server/relay_server.h"
#include "server/rendezvous_server.h"
#include "server/websocket_gateway.h"
#include "stop_signal.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <prometheus/exposer.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

namespace tether::cli {
namespace {

struct ServeOptions {
    bool rendezvous_only = false;
    bool relay_only = false;
    bool print_key = false;
    std::string websocket_port;  // "": the config's server.websocket_port
};

// One server's event loop on a thread of its own, stopped and joined on the way out.
class EventLoop {
public:
    EventLoop() : thread_([this] {
        auto guard = boost::asio::make_work_guard(io_);
        io_.run();
    }) {}
    ~EventLoop() { join(); }
    // Ends the loop's thread; the io_context lives on for the servers' sockets to close against.
    void join() {
        io_.stop();
        if (thread_.joinable()) thread_.join();
    }
    boost::asio::io_context& io() { return io_; }
    // Runs `stop` on the loop's thread and waits for it, so nothing of the server runs past it.
    template <class Stop>
    void stop_with(Stop stop) {
        std::promise<void> done;
        boost::asio::post(io_, [&] {
            stop();
            done.set_value();
        });
        done.get_future().wait();
    }

private:
    boost::asio::io_context io_;
    std::thread thread_;
};

std::vector<uint8_t> read_relay_secret(const std::string& file) {
    if (file.empty()) return {};
    std::ifstream in(file);
    std::string secret;
    if (!in || !std::getline(in, secret))
        throw UsageError("server.relay_secret_file: cannot read " + file);
    if (secret.size() < 32 || secret.size() > 64)
        throw UsageError("server.relay_secret_file: " + file + " must hold one line of 32 to 64 characters");
    return {secret.begin(), secret.end()};
}

security::PublicKey parse_key(const std::string& text, const std::string& what) {
    security::PublicKey key{};
    if (!security::parse_hex(text, key))
        throw UsageError(what + ": expected the 64 hex digits `tether serve --print-key` prints");
    return key;
}

// Each peer holds a descriptor; the usual soft limit of 1,024 would turn
// strangers' idle connections into refusals for everyone.
void raise_open_files_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) spdlog::warn("cannot raise the open-files limit: {}", std::strerror(errno));
}

// `address`'s host with another port: the WebSocket port listens where the
// server it fronts does, and a relay announces it under its own name.
std::string with_port(const std::string& address, int64_t port) {
    const auto where = rendezvous::split_host_port(address);
    const bool v6 = where.host.find(':') != std::string::npos;
    return (v6 ? "[" + where.host + "]" : where.host) + ":" + std::to_string(port);
}

int run_serve(const GlobalOptions& global, const ServeOptions& o) {
    if (o.rendezvous_only && o.relay_only) throw UsageError("--rendezvous-only and --relay-only exclude each other");
    if (global.json) use_json_logs();
    std::map<std::string, std::string> overrides;
    if (!o.websocket_port.empty()) overrides["server.websocket_port"] = o.websocket_port;
    const auto context = make_context(global, overrides);
    const auto& c = context->config.server;
    const int64_t websocket_port = c.websocket_port.value;
    raise_open_files_limit();
    const auto data_dir = security::ensure_data_dir(global.data_dir);
    // The server's own key, apart from any host identity of this installation.
    const auto server_dir = security::ensure_data_dir(data_dir / "server");
    if (o.print_key) {
        const auto key = security::load_or_create_identity(server_dir);
        std::cout << security::to_hex(key.public_key) << std::endl;
        return 0;
    }

    server::ServerMetrics metrics;
    std::unique_ptr<prometheus::Exposer> exposer;
    if (!c.metrics_listen.value.empty()) {
        try {
            exposer = std::make_unique<prometheus::Exposer>(c.metrics_listen.value);
        } catch (const std::exception& e) {
            throw std::runtime_error("metrics on " + c.metrics_listen.value + ": " + e.what());
        }
        exposer->RegisterCollectable(metrics.registry);
    }

    std::optional<security::Identity> server_key;
    EventLoop rendezvous_loop, relay_loop;
    std::unique_ptr<server::RendezvousServer> rendezvous;
    std::unique_ptr<server::RelayServer> relay;
    std::unique_ptr<server::RelayAnnouncer> announcer;
    std::unique_ptr<server::WebSocketGateway> websocket;
    // Destroyed before the servers, however the scope ends: no loop thread runs while they go.
    struct JoinLoopsFirst {
        EventLoop& a;
        EventLoop& b;
        ~JoinLoopsFirst() {
            a.join();
            b.join();
        }
    } join_loops_first{rendezvous_loop, relay_loop};
    const std::vector<uint8_t> secret = read_relay_secret(c.relay_secret_file.value);
    if (!o.relay_only) {
        server_key.emplace(security::load_or_create_identity(server_dir));
        server::RendezvousOptions options;
        options.listen = c.rendezvous_listen.value;
        options.nat_test_listen = c.nat_test_listen.value;
        options.registry_file = data_dir / "rendezvous.db";
        for (const auto& r : c.relays)
            if (!o.rendezvous_only || !r.value.starts_with(':')) options.relays.push_back(r.value);
        options.relay_secret = secret;
        options.websocket_relay = websocket_port != 0 && !o.rendezvous_only;
        rendezvous = std::make_unique<server::RendezvousServer>(rendezvous_loop.io(), *server_key, options, metrics);
        spdlog::info("rendezvous server on {} (TCP and UDP), key {}", rendezvous->address(),
                     security::fingerprint(server_key->public_key));
    }
    if (!o.rendezvous_only) {
        server::RelayOptions options;
        options.listen = c.relay_listen.value;
        if (server_key) {
            options.rendezvous_key = server_key->public_key;
        } else {
            if (c.rendezvous_key.value.empty())
                throw UsageError("--relay-only needs the rendezvous server's key: server.rendezvous_key (its "
                                 "`tether serve --print-key`)");
            options.rendezvous_key = parse_key(c.rendezvous_key.value, "server.rendezvous_key");
        }
        options.session_bytes_per_s = static_cast<uint64_t>(c.relay_session_kbps.value) * 1000 / 8;
        options.total_bytes_per_s = static_cast<uint64_t>(c.relay_total_kbps.value) * 1000 / 8;
        relay = std::make_unique<server::RelayServer>(relay_loop.io(), options, metrics);
        spdlog::info("relay on {}", relay->address());
        if (o.relay_only && !c.announce_to.value.empty()) {
            if (secret.empty() || c.relay_address.value.empty())
                throw UsageError("announcing a relay needs server.relay_secret_file and server.relay_address");
            server::RelayAnnouncerOptions announce;
            announce.rendezvous = rendezvous::with_default_port(c.announce_to.value, rendezvous::kDefaultRendezvousPort);
            announce.public_addr = c.relay_address.value;
            if (websocket_port != 0) announce.websocket_addr = with_port(c.relay_address.value, websocket_port);
            announce.secret = secret;
            announce.capacity = static_cast<uint32_t>(server::RelayOptions{}.max_sessions);
            announcer = std::make_unique<server::RelayAnnouncer>(relay_loop.io(), announce,
                                                                 [&relay] { return relay->sessions(); });
        }
    }
    if (websocket_port != 0) {
        // The paths of the servers running here; each takes its peers onto its own loop.
        server::WebSocketGateway::Routes routes;
        if (rendezvous) routes["/rendezvous"] = [&rendezvous](server::UpgradedSocket s) { rendezvous->adopt_websocket(std::move(s)); };
        if (relay) routes["/relay"] = [&relay](server::UpgradedSocket s) { relay->adopt_websocket(std::move(s)); };
        server::WebSocketGatewayOptions options;
        options.listen = with_port(o.relay_only ? c.relay_listen.value : c.rendezvous_listen.value, websocket_port);
        websocket = std::make_unique<server::WebSocketGateway>(rendezvous ? rendezvous_loop.io() : relay_loop.io(), options,
                                                               std::move(routes), metrics);
        spdlog::info("WebSocket port on {} ({})", websocket->address(),
                     rendezvous && relay ? "/rendezvous and /relay" : rendezvous ? "/rendezvous" : "/relay");
    }
    if (exposer) spdlog::info("metrics on http://{}/metrics", c.metrics_listen.value);
    if (global.json) std::cout << nlohmann::json{{"event", "ready"},
                                                 {"rendezvous", rendezvous ? rendezvous->address() : ""},
                                                 {"relay", relay ? relay->address() : ""},
                                                 {"websocket", websocket ? websocket->address() : ""},
                                                 {"key", server_key ? security::to_hex(server_key->public_key) : ""}}
                                      .dump()
                               << std::endl;

    wait_until(std::chrono::steady_clock::time_point::max(), [] { return false; });
    spdlog::info("stopping");
    if (websocket) (rendezvous ? rendezvous_loop : relay_loop).stop_with([&] { websocket->stop(); });
    if (announcer) relay_loop.stop_with([&] { announcer->stop(); });
    if (relay) relay_loop.stop_with([&] { relay->stop(); });
    if (rendezvous) rendezvous_loop.stop_with([&] { rendezvous->stop(); });
    return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<ServeOptions>();
    CLI::App* cmd = app.add_subcommand(
        "serve",
        "Run a rendezvous server (hosts register their IDs, viewers look them up; TCP and UDP 21116) and a relay "
        "(sessions no direct path reaches; TCP 21117), both also over WebSocket on one port (TCP 21119: paths "
        "/rendezvous and /relay, for networks that let out only web ports; 443 there, or behind a TLS proxy), "
        "configured in the [server] section (config/server.toml). Prometheus metrics on server.metrics_listen. "
        "Stops cleanly on SIGTERM or Ctrl-C");
    cmd->add_flag("--rendezvous-only", o->rendezvous_only, "Run the rendezvous server alone (relays announce themselves)");
    cmd->add_flag("--relay-only", o->relay_only,
                  "Run the relay alone, announcing itself to server.announce_to as server.relay_address");
    cmd->add_option("--websocket-port", o->websocket_port,
                    "The WebSocket port (default: the config's server.websocket_port, 21119; 0: none); 443 serves "
                    "networks that let out only HTTPS");
    cmd->add_flag("--print-key", o->print_key,
                  "Print the rendezvous server's key (created on first use) and exit: give it to viewers as "
                  "network.rendezvous_key and to relays as server.rendezvous_key");
    cmd->callback([&global, &exit_code, o] { exit_code = run_serve(global, *o); });
}

}  // namespace tether::cli
