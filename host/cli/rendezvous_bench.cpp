#include "rendezvous_bench.h"

#include "core/temp_folder.h"
#include "process_stats.h"
#include "server/rendezvous_probe.h"
#include "server/rendezvous_server.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct RendezvousBenchOptions {
    uint32_t peers = 10'000;
    uint32_t clients = 4;
    uint32_t lookups = 20'000;
};

constexpr size_t kBenchSpareDescriptors = 256;
constexpr auto kClientTimeout = 10s;

// Both processes hold one descriptor per peer: the server its side, the clients theirs.
void raise_descriptor_limit(size_t needed) {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed)
        throw std::runtime_error("--peers needs " + std::to_string(needed) + " open files, the hard limit is " +
                                 std::to_string(limit.rlim_max) + " (ulimit -Hn)");
    limit.rlim_cur = std::max<rlim_t>(limit.rlim_cur, needed);
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) throw std::runtime_error("cannot raise the open files limit");
}

// One line each way between the server's process and the clients' process.
void write_pipe_line(int fd, const std::string& line) {
    const std::string text = line + "\n";
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        throw std::runtime_error("the bench's pipe broke");
}

std::string read_pipe_line(int fd) {
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
    return line;
}

// 250 loopback sources, as many hosts behind as many addresses; each connects from any port.
std::string source_for(size_t i) { return "127.0.0." + std::to_string(1 + i % 250); }

// Runs task(0 .. count-1) on `threads` threads; the wall seconds it took.
template <class Task>
double on_threads(uint32_t threads, size_t count, const Task& task) {
    std::atomic<size_t> next{0};
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (uint32_t t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            for (size_t i = next++; i < count; i = next++) task(i);
        });
    for (auto& worker : workers) worker.join();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The clients' process: registers every peer and keeps its control
// connection open, then looks the peers up, reporting each phase.
int run_clients(const std::string& server, const RendezvousBenchOptions& o, int from_server, int to_server) {
    std::vector<security::Identity> hosts(o.peers);
    for (auto& host : hosts) host = security::fresh_identity();
    std::vector<std::optional<server::ProbeConnection>> controls(o.peers);

    read_pipe_line(from_server);
    std::atomic<size_t> registered{0};
    const double register_s = on_threads(o.clients, o.peers, [&](size_t i) {
        try {
            server::ProbeConnection connection(server, kClientTimeout, source_for(i));
            const auto answer = server::register_host(connection, server::register_request(hosts[i]), hosts[i]);
            if (!answer || !answer->has_registered()) return;
            controls[i].emplace(std::move(connection));
            ++registered;
        } catch (const std::exception&) {
        }
    });
    write_pipe_line(to_server, std::to_string(registered.load()) + " " + std::to_string(register_s));

    read_pipe_line(from_server);
    const auto viewer = security::fresh_identity();
    std::atomic<size_t> found{0};
    const double lookup_s = on_threads(o.clients, o.lookups, [&](size_t i) {
        try {
            server::ProbeConnection connection(server, kClientTimeout, source_for(i));
            if (!connection.send(server::lookup_request(hosts[i % hosts.size()].peer_id, viewer.public_key))) return;
            const auto reply = connection.receive();
            if (reply && reply->has_lookup_reply() && reply->lookup_reply().has_found()) ++found;
        } catch (const std::exception&) {
        }
    });
    write_pipe_line(to_server, std::to_string(found.load()) + " " + std::to_string(lookup_s));
    return 0;
}

struct Phase {
    size_t done = 0;
    double seconds = 0;
};

Phase read_phase(int fd) {
    std::istringstream line(read_pipe_line(fd));
    Phase phase;
    if (!(line >> phase.done >> phase.seconds)) throw std::runtime_error("the bench's clients failed");
    return phase;
}

int run_rendezvous_bench(const GlobalOptions& global, const RendezvousBenchOptions& o) {
    raise_descriptor_limit(o.peers + o.clients + kBenchSpareDescriptors);
    TempFolder folder("tether-bench");
    server::ServerMetrics metrics;
    boost::asio::io_context io;
    const auto server_key = security::fresh_identity();
    server::RendezvousOptions options;
    options.listen = "127.0.0.1:0";
    options.registry_file = folder.path() / "rendezvous.db";
    options.heartbeat = std::chrono::hours(1);  // the idle hosts never beat
    options.registrations_per_s = options.registration_burst = 1e9;
    options.lookups_per_s = options.lookup_burst = 1e9;
    options.max_connections = o.peers + o.clients + kBenchSpareDescriptors;
    server::RendezvousServer server(io, server_key, options, metrics);

    // The clients live in a process of their own, so this one's memory is the server's;
    // forked before this process starts a thread.
    int to_clients[2], from_clients[2];
    if (pipe(to_clients) != 0 || pipe(from_clients) != 0) throw std::runtime_error("pipe failed");
    const pid_t clients = fork();
    if (clients < 0) throw std::runtime_error("fork failed");
    if (clients == 0) {
        int code = 2;
        try {
            code = run_clients(server.address(), o, to_clients[0], from_clients[1]);
        } catch (const std::exception& e) {
            std::cerr << "bench rendezvous clients: " << e.what() << "\n";
        }
        _exit(code);
    }
    std::thread loop([&] { io.run(); });

    const double rss_before = rss_mb();
    const double cpu_before = cpu_seconds();
    write_pipe_line(to_clients[1], "register");
    const Phase registered = read_phase(from_clients[0]);
    const auto settle = Clock::now() + 10s;
    while (server.peers_online() < registered.done && Clock::now() < settle) std::this_thread::sleep_for(10ms);
    const double rss_with_peers = rss_mb();
    const double cpu_registered = cpu_seconds();
    const size_t online = server.peers_online();

    write_pipe_line(to_clients[1], "lookup");
    const Phase looked_up = read_phase(from_clients[0]);
    const double cpu_looked_up = cpu_seconds();
    int status = 0;
    waitpid(clients, &status, 0);
    server.stop();
    loop.join();

    const double bytes_per_peer = online > 0 ? (rss_with_peers - rss_before) * 1024 * 1024 / double(online) : 0;
    const nlohmann::json out = {
        {"bench", "rendezvous"},
        {"peers", o.peers},
        {"clients", o.clients},
        {"registered", registered.done},
        {"registrations_per_s", registered.seconds > 0 ? double(registered.done) / registered.seconds : 0},
        {"server_cpu_us_per_registration",
         registered.done > 0 ? (cpu_registered - cpu_before) * 1e6 / double(registered.done) : 0},
        {"lookups", o.lookups},
        {"found", looked_up.done},
        {"lookups_per_s", looked_up.seconds > 0 ? double(o.lookups) / looked_up.seconds : 0},
        {"server_cpu_us_per_lookup", o.lookups > 0 ? (cpu_looked_up - cpu_registered) * 1e6 / double(o.lookups) : 0},
        {"rss_before_mb", rss_before},
        {"rss_with_peers_mb", rss_with_peers},
        {"bytes_per_peer", bytes_per_peer},
        {"mb_per_10000_peers", bytes_per_peer * 10'000 / (1024 * 1024)}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
    } else {
        std::cout << "bench rendezvous: " << o.peers << " hosts, " << o.clients << " client threads\n"
                  << "  registrations: " << out["registrations_per_s"].get<double>() << " /s, "
                  << out["server_cpu_us_per_registration"].get<double>() << " us server CPU each\n"
                  << "  lookups:       " << out["lookups_per_s"].get<double>() << " /s, "
                  << out["server_cpu_us_per_lookup"].get<double>() << " us server CPU each (" << looked_up.done
                  << " of " << o.lookups << " found)\n"
                  << "  memory:        " << bytes_per_peer << " bytes per idle registered host, "
                  << out["mb_per_10000_peers"].get<double>() << " MB per 10,000\n";
    }
    const bool complete = registered.done == o.peers && looked_up.done == o.lookups && WIFEXITED(status) &&
                          WEXITSTATUS(status) == 0;
    return complete ? 0 : 1;
}

}  // namespace

void add_rendezvous_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<RendezvousBenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "rendezvous", "Registrations and lookups a second of an in-process rendezvous server, and its memory per host");
    cmd->add_option("--peers", o->peers, "Hosts that register and stay connected")
        ->check(CLI::Range(1, 1'000'000))
        ->capture_default_str();
    cmd->add_option("--clients", o->clients, "Client threads registering and looking up at once")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--lookups", o->lookups, "Lookups, each on a new connection, spread over the hosts")
        ->check(CLI::Range(1, 10'000'000))
        ->capture_default_str();
    cmd->callback([&global, &exit_code, o] { exit_code = run_rendezvous_bench(global, *o); });
}

}  // namespace tether::cli
