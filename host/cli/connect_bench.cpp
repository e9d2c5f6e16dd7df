#include "connect_bench.h"

#include "core/subprocess.h"
#include "core/temp_folder.h"
#include "netsim_connect_bench.h"
#include "pipeline/plugin_choice.h"
#include "process_stats.h"
#include "rendezvous/host_registration.h"
#include "security/key_text.h"
#include "server/relay_server.h"
#include "server/rendezvous_server.h"
#include "session/dial_back.h"
#include "session/host_server.h"
#include "stop_signal.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <future>
#include <iostream>
#include <thread>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct ConnectBenchOptions {
    int runs = 20;
    double seconds = 2;  // each session: long enough for its first picture whatever the encoder is doing
    std::string netsim;  // netsim.sh: measure on the simulated internet instead of loopback
    std::string pairs = "all";
};

// The rendezvous server and its relay on one event loop thread, as `tether serve` runs them.
class LoopbackServers {
public:
    explicit LoopbackServers(const std::filesystem::path& folder)
        : key_(security::load_or_create_identity(folder)), thread_([this] { io_.run(); }) {
        server::RelayOptions relay;
        relay.listen = "127.0.0.1:0";
        relay.rendezvous_key = key_.public_key;
        relay_ = std::make_unique<server::RelayServer>(io_, relay, metrics_);
        server::RendezvousOptions rendezvous;
        rendezvous.listen = "127.0.0.1:0";
        rendezvous.registry_file = folder / "rendezvous.db";
        rendezvous.relays = {relay_->address()};
        rendezvous_ = std::make_unique<server::RendezvousServer>(io_, key_, rendezvous, metrics_);
    }
    ~LoopbackServers() {
        std::promise<void> stopped;
        boost::asio::post(io_, [&] {
            rendezvous_->stop();
            relay_->stop();
            stopped.set_value();
        });
        stopped.get_future().wait();
        work_.reset();
        io_.stop();
        thread_.join();
    }
    std::string address() const { return rendezvous_->address(); }
    std::string key() const { return security::to_hex(key_.public_key); }

private:
    security::Identity key_;
    server::ServerMetrics metrics_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::unique_ptr<server::RelayServer> relay_;
    std::unique_ptr<server::RendezvousServer> rendezvous_;
    std::thread thread_;
};

int run_connect_bench(const GlobalOptions& global, const ConnectBenchOptions& o) {
    const auto context = make_context(global, {});
    const TempFolder folder("tether-bench-connect");
    std::filesystem::create_directories(folder.path() / "server");
    LoopbackServers servers(folder.path() / "server");

    // A host of its own in this process, registered like `tether host --rendezvous`.
    const security::Identity identity = security::load_or_create_identity(folder.path());
    session::Authenticator authenticator(session::AccessMode::Attended, std::nullopt, session::kAllPermissions);
    Bus bus;
    VideoService video(bus, video_service_options(context->config, *context->chooser, ""));
    session::ResumeTickets tickets(30s);
    session::HostContext host_context{video, bus, identity, authenticator, {}, {}, nullptr, nullptr, &tickets};
    const auto transport = Transport::create(choose_transport(context->config, *context->chooser));
    session::HostServer host(transport, "127.0.0.1:0", host_context);
    session::DialBack dial_back(transport, host, identity);
    std::atomic<bool> registered{false};
    const std::string bound = host.address();
    rendezvous::HostRegistration registration(
        identity,
        {rendezvous::parse_server_address(servers.address()), {bound},
         static_cast<uint32_t>(std::stoul(bound.substr(bound.rfind(':') + 1)))},
        [&](const proto::Registered&) {
            registered = true;
            wake_waiters();
        },
        [&](const proto::Incoming& incoming) { dial_back.on_incoming(incoming); },
        [](const std::string& why) { spdlog::warn("bench host: {}", why); });
    video.start();
    if (!wait_until(Clock::now() + 10s, [&] { return registered.load(); }))
        throw std::runtime_error("the bench's host did not register");

    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw std::runtime_error("cannot find this program: " + ec.message());
    std::vector<int64_t> connect_us, process_us;
    std::map<std::string, int> paths;
    for (int run = 0; run < o.runs && !stop_requested(); ++run) {
        std::vector<std::string> argv{self.string(), "--json", "--data-dir", (folder.path() / "viewer").string()};
        if (global.config_file) argv.insert(argv.end(), {"--config", *global.config_file});
        argv.insert(argv.end(), {"connect", identity.peer_id, "--rendezvous", servers.address(), "--rendezvous-key",
                                 servers.key(), "--password", authenticator.one_time_password(), "--headless",
                                 "--seconds", std::to_string(o.seconds)});
        const auto started = Clock::now();
        const CommandResult r = run_command(argv, 60s);
        process_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count());
        const auto summary = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')), nullptr, false);
        if (r.exit_code != 0 || summary.is_discarded() || summary.value("frames", 0) == 0)
            throw std::runtime_error("run " + std::to_string(run + 1) + " failed: " + r.err);
        connect_us.push_back(static_cast<int64_t>(summary.value("connect_ms", 0.0) * 1000));
        ++paths[summary.value("path", "?")];
    }
    video.stop();

    const nlohmann::json out = {{"bench", "connect"},
                                {"runs", connect_us.size()},
                                {"connect_ms", {{"p50", percentile(connect_us, 50) / 1000.0},
                                                {"p90", percentile(connect_us, 90) / 1000.0},
                                                {"max", percentile(connect_us, 100) / 1000.0}}},
                                {"process_ms_p50", percentile(process_us, 50) / 1000.0},
                                {"paths", paths}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
    } else {
        std::cout << "bench connect: " << connect_us.size() << " runs of `tether connect ID` through a rendezvous server on loopback\n"
                  << "  command start to first picture: p50 " << out["connect_ms"]["p50"].get<double>() << " ms, p90 "
                  << out["connect_ms"]["p90"].get<double>() << " ms, max " << out["connect_ms"]["max"].get<double>()
                  << " ms\n  paths: " << out["paths"].dump() << "\n";
    }
    return 0;
}

}  // namespace

void add_connect_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<ConnectBenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "connect",
        "Command start to first decoded picture of `tether connect ID`. On loopback: through an in-process "
        "rendezvous server and relay, to a host in this process (the configuration's capture and encoder); p50 and "
        "p90 of --runs runs. With --netsim: across the simulated internet, for each pair of NAT kinds");
    CLI::Option* runs = cmd->add_option("--runs", o->runs, "Connections to make (default 20; with --netsim, 3 a pair)")
                            ->check(CLI::Range(1, 1000));
    CLI::Option* seconds =
        cmd->add_option("--seconds", o->seconds,
                        "How long each session stays after it starts (default 2; with --netsim, 8 for cone:sym "
                        "and sym:cone, whose sessions move off the relay after seconds of UDP probing)")
            ->check(CLI::Range(0.1, 60.0));
    CLI::Option* netsim =
        cmd->add_option("--netsim", o->netsim,
                        "netsim.sh: run `tether serve` on its srv, `tether host` on a and `tether connect ID` on b, "
                        "on a fresh network for each pair. Needs root, and netsim to itself: nothing else may use "
                        "netsim.sh meanwhile")
            ->type_name("NETSIM_SH");
    cmd->add_option("--pairs", o->pairs,
                    "With --netsim: the NAT kinds in front of the host and of the viewer, HOST:VIEWER,... of none, "
                    "cone, sym and block-udp, or all 16")
        ->needs(netsim)
        ->type_name("PAIRS")
        ->capture_default_str();
    cmd->footer(
        "With --netsim, each pair gets a fresh network, server and host, and its runs go one after another, the "
        "viewer's plugins probed once beforehand; the pictures are synthetic 320x240 VP8 whatever the configuration "
        "says, so that the paths are measured, not the encoder. Each pair reports:\n"
        "  path           the path each run ended on: tcp or udp (direct), relay or relay-websocket\n"
        "  first picture  from the viewer's start to its first decoded picture (connect_ms): p50 / max of the runs\n"
        "  direct         from the viewer's start until the session ran on a direct path: when it started, if it "
        "started direct; when it moved off the relay, if it did. p50 / max of the runs that got there; - for none\n"
        "  runs           runs that showed pictures, of those made\n"
        "A pair that fails is named with why and the others go on; the exit code is then 1.");
    cmd->callback([&global, &exit_code, o, runs, seconds] {
        if (o->netsim.empty()) {
            exit_code = run_connect_bench(global, *o);
            return;
        }
        NetsimConnectOptions netsim_options;
        netsim_options.script = o->netsim;
        netsim_options.pairs = parse_nat_pairs(o->pairs);
        if (runs->count() > 0) netsim_options.runs = o->runs;
        if (seconds->count() > 0) netsim_options.seconds = o->seconds;
        exit_code = run_netsim_connect_bench(global, netsim_options);
    });
}

}  // namespace tether::cli
