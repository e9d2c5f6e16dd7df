#include "connect_command.h"

#include "host_key_check.h"
#include "pipeline/plugin_choice.h"
#include "png_option.h"
#include "process_stats.h"
#include "security/data_dir.h"
#include "session/permissions.h"
#include "session/protocol.h"
#include "stop_signal.h"
#include "viewer_summary.h"

#include "media/png_writer.h"

#include <spdlog/spdlog.h>

#include <iostream>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
constexpr auto kConnectTimeout = 10s;

struct ConnectOptions {
    std::string address;
    std::string password;
    bool password_stdin = false;
    std::string permissions = "view";
    double seconds = 0;
    std::string accept_key;
    std::string png;
};

int run_connect(const GlobalOptions& global, ConnectOptions o) {
    const auto context = make_context(global, {});
    if (o.password_stdin && !std::getline(std::cin, o.password)) throw UsageError("--password-stdin: no password on stdin");
    session::ViewerOptions viewer_options;
    viewer_options.password = o.password;
    try {
        viewer_options.permissions = session::parse_permissions(o.permissions);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--permissions: ") + e.what());
    }
    viewer_options.decoders = usable_decoders(context->config, *context->chooser);
    viewer_options.keep_last_frame = !o.png.empty();
    viewer_options.on_change = wake_waiters;

    security::KnownHosts known_hosts(security::ensure_data_dir(global.data_dir) / "known_hosts");
    const auto host_check =
        pinned_host_check(known_hosts, o.accept_key.empty() ? std::nullopt : std::optional(o.accept_key), o.address);
    auto transport = Transport::create(choose_transport(context->config, *context->chooser));
    std::unique_ptr<net::SecureChannel> channel;
    try {
        channel = net::SecureChannel::connect(transport->connect(o.address, kConnectTimeout), host_check);
    } catch (const net::HandshakeError& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
    spdlog::info("connected to {} ({}), encrypted with {}", security::format_peer_id(channel->peer_id()), o.address,
                 net::cipher_name(channel->cipher()));

    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    session::Viewer viewer(std::move(channel), viewer_options);
    const auto deadline = o.seconds > 0 ? start + std::chrono::milliseconds(static_cast<int64_t>(o.seconds * 1000))
                                        : std::chrono::steady_clock::time_point::max();
    wait_until(deadline, [&] { return viewer.ended(); });
    const bool ended_by_host = viewer.ended();
    viewer.stop("viewer closed");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const session::ViewerReport report = viewer.report();
    const nlohmann::json summary = summarize_viewer(report, seconds, cpu_seconds() - cpu_start);
    if (global.json) {
        std::cout << summary.dump() << std::endl;
    } else {
        std::cout << "tether connect " << o.address << "\n";
        print_viewer_summary(summary);
    }
    if (!o.png.empty()) {
        if (const auto frame = viewer.last_frame()) write_png(*frame, o.png);
    }
    if (!report.logged_in) {
        spdlog::error("{}", report.end_reason.empty() ? "not logged in" : report.end_reason);
        return 1;
    }
    if (!ended_by_host) return 0;
    // The host stopping is an orderly end; anything else cut the session short.
    if (report.host_goodbye == session::kHostShuttingDown) {
        spdlog::info("session ended: {}", report.end_reason);
        return 0;
    }
    spdlog::error("session ended early: {}", report.end_reason);
    return 1;
}

}  // namespace

void add_connect_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<ConnectOptions>();
    CLI::App* cmd = app.add_subcommand(
        "connect", "View a remote host (headless): log in, decode, report. Exit 0 when the time is up, on Ctrl-C or "
                   "when the host shuts down; 1 when the session could not start or was cut short");
    cmd->add_option("address", o->address, "The host's HOST:PORT, as `tether host` prints it")->required();
    auto* password = cmd->add_option("--password", o->password, "The host's one-time or permanent password");
    cmd->add_flag("--password-stdin", o->password_stdin, "Read the password from the first line of stdin")->excludes(password);
    cmd->add_option("--permissions", o->permissions, "What to ask for: view,input,clipboard,files,audio,tunnel")
        ->capture_default_str();
    cmd->add_option("--seconds", o->seconds, "Stay this long (default: until the host ends it or Ctrl-C)")
        ->check(CLI::Range(0.0, 31'536'000.0));
    cmd->add_option("--accept-key", o->accept_key,
                    "Accept this host key fingerprint even if another one is pinned (after checking it out of band)");
    add_png_option(*cmd, o->png);
    cmd->callback([&global, &exit_code, o] { exit_code = run_connect(global, *o); });
}

}  // namespace tether::cli
