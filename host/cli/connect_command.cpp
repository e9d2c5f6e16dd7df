#include "connect_command.h"

#include "host_key_check.h"
#include "pipeline/plugin_choice.h"
#include "core/host_api.h"
#include "core/message_text.h"
#include "png_option.h"
#include "reach_by_id.h"
#include "time_left.h"
#include "process_stats.h"
#include "rendezvous_server_choice.h"
#include "security/data_dir.h"
#include "session/permissions.h"
#include "session/protocol.h"
#include "stop_signal.h"
#include "viewer_summary.h"

#include "media/png_writer.h"
#include "window/viewer_window.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <iostream>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
constexpr auto kConnectTimeout = 10s;
// Between attempts at a new path while a session waits to resume.
constexpr auto kResumeRetry = 500ms;

struct ConnectOptions {
    std::string address;
    std::string password;
    bool password_stdin = false;
    std::string permissions = "view";
    double seconds = 0;
    std::string accept_key;
    std::string png;
    bool headless = false;
    uint32_t monitor = 0;
    std::string codec;            // "": the host's choice
    bool password_given = false;  // --password or --password-stdin
    std::string rendezvous;       // "": the config's network.rendezvous
    std::string rendezvous_key;   // "": the config's network.rendezvous_key
};

// How the session reached the host.
struct Opened {
    std::unique_ptr<net::SecureChannel> channel;
    std::string path = "tcp";
    std::unique_ptr<session::PathRace> race;  // by ID: the paths that lost, closing
};

// "123 456 789" and "123456789" both name an ID.
std::optional<std::string> peer_id_in(const std::string& address) {
    std::string digits;
    for (const char c : address)
        if (c != ' ') digits += c;
    return security::is_peer_id(digits) ? std::optional(digits) : std::nullopt;
}

// The window, unless --headless or there is none to open (then one log line says why).
std::unique_ptr<window::ViewerWindow> open_window(const ConnectOptions& o, const Factory& transport) {
    if (o.headless) return nullptr;
    std::string why_not;
    auto opened = window::open_viewer_window({o.address, transport.name}, why_not);
    if (!opened) spdlog::info("running headless: {}", why_not);
    return opened;
}

// Until the window is closed, a stop is asked for or the deadline passes.
void wait_for_close(window::ViewerWindow& window, std::chrono::steady_clock::time_point deadline) {
    window.run_until([&] { return stop_requested() || std::chrono::steady_clock::now() >= deadline; });
}

// A session that could not start: said in the log and, until it is closed, in the window.
int could_not_start(window::ViewerWindow* window, const std::string& why) {
    spdlog::error("{}", why);
    if (window) {
        window->show_status(why);
        wait_for_close(*window, std::chrono::steady_clock::time_point::max());
    }
    return 1;
}

// The encrypted channel to the host, by address or by ID; with a window, which
// stays responsive meanwhile, no channel when it was closed first.
Opened open_channel(const std::shared_ptr<Transport>& transport, const std::shared_ptr<Transport>& punching,
                    const ConnectOptions& o, const Context& context,
                    const std::filesystem::path& data_dir, const net::SecureChannel::HostCheck& check,
                    window::ViewerWindow* window, Deadline deadline = kNoDeadline) {
    const Config& config = context.config;
    const auto open = [&]() -> Opened {
        const auto id = peer_id_in(o.address);
        if (!id)
            return {net::SecureChannel::connect(transport->connect(o.address, time_left(deadline, kConnectTimeout)), check),
                    transport->vtable().scheme, nullptr};
        ReachOptions reach{*id,
                           o.rendezvous.empty() ? config.network.rendezvous.value : o.rendezvous,
                           o.rendezvous_key.empty() ? config.network.rendezvous_key.value : o.rendezvous_key,
                           check,
                           data_dir,
                           o.accept_key,
                           punching};
        reach.deadline = deadline;
        if (reach.server.empty())
            throw UsageError("connecting by ID needs a rendezvous server: --rendezvous HOST[:PORT], or "
                             "[network] rendezvous in the config");
        reach.websocket = websocket_transport_for(context, rendezvous_server_address(reach.server));
        Reached reached = reach_by_id(transport, reach);
        spdlog::info("reached ID {} over {} ({})", security::format_peer_id(*id), reached.path, reached.address);
        return {std::move(reached.channel), reached.path, std::move(reached.race)};
    };
    if (!window) return open();
    window->show_status("connecting to " + o.address + "\u2026");
    auto opening = std::async(std::launch::async, open);
    if (!window->run_until([&] { return opening.wait_for(0s) == std::future_status::ready; })) return {};
    auto opened = opening.get();
    window->show_status("logging in to " + o.address + "\u2026");
    return opened;
}

// After the path dropped: new paths, tried until one carries the session on or
// the host's resume window (or the command's deadline) passes. The reason it
// could not, or nullopt once resumed.
std::optional<std::string> resume_on_new_path(session::Viewer& viewer,
                                              const std::function<std::unique_ptr<net::SecureChannel>()>& reach,
                                              std::chrono::steady_clock::time_point deadline) {
    using Clock = std::chrono::steady_clock;
    const auto window = viewer.resume_window();
    const auto give_up = std::min(deadline, Clock::now() + window);
    std::string last_error = "no path";
    while (Clock::now() < give_up && !stop_requested()) {
        try {
            auto channel = reach();
            if (!channel) return "the window was closed";
            if (!viewer.resume(std::move(channel))) return "nothing to resume with";
            return std::nullopt;
        } catch (const std::exception& e) {
            last_error = e.what();
            spdlog::info("no new path to the host yet: {}", last_error);
        }
        sleep_unless_stopped(std::min(give_up, Clock::now() + kResumeRetry));
    }
    if (stop_requested()) return "stopped while looking for a new path to the host";
    const bool window_passed = give_up < deadline;
    return "the path to the host dropped and no new one came " +
           (window_passed ? "within the host's " + std::to_string(window.count()) + " s resume window"
                          : std::string("before the session's time was up")) +
           " (" + last_error + ")";
}

int run_connect(const GlobalOptions& global, ConnectOptions o) {
    const int64_t started_us = now_us();
    if (const auto id = peer_id_in(o.address)) o.address = *id;
    const auto context = make_context(global, {});
    if (o.password_stdin && !std::getline(std::cin, o.password)) throw UsageError("--password-stdin: no password on stdin");
    const Factory& transport_factory = choose_transport(context->config, *context->chooser);
    const auto window = open_window(o, transport_factory);
    if (window && !o.password_given) {
        const auto typed = window->ask_password(stop_requested);
        if (!typed) return 0;  // closed instead
        o.password = *typed;
    }
    session::ViewerOptions viewer_options;
    viewer_options.password = o.password;
    try {
        viewer_options.permissions = session::parse_permissions(o.permissions);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--permissions: ") + e.what());
    }
    viewer_options.decoders = usable_decoders(context->config, *context->chooser);
    viewer_options.keep_last_frame = !o.png.empty();
    viewer_options.monitor = o.monitor;
    viewer_options.codec = o.codec;
    if (!o.codec.empty()) {
        std::vector<std::string> codecs;
        for (const Factory* decoder : viewer_options.decoders) codecs.push_back(codec_of(*decoder));
        if (std::find(codecs.begin(), codecs.end(), o.codec) == codecs.end())
            throw UsageError("--codec " + o.codec + ": no decoder here handles it; this viewer decodes " + join_names(codecs));
    }
    viewer_options.on_change = wake_waiters;

    const auto data_dir = security::ensure_data_dir(global.data_dir);
    security::KnownHosts known_hosts(data_dir / "known_hosts");
    const auto host_check =
        pinned_host_check(known_hosts, o.accept_key.empty() ? std::nullopt : std::optional(o.accept_key), o.address);
    auto transport = Transport::create(transport_factory);
    const Factory* punching_factory = choose_punching_transport(context->config, *context->chooser);
    const auto punching = punching_factory ? Transport::create(*punching_factory) : nullptr;
    Opened opened;
    try {
        opened = open_channel(transport, punching, o, *context, data_dir, host_check, window.get());
        if (!opened.channel) return 0;  // the window was closed
    } catch (const net::HandshakeError& e) {
        return could_not_start(window.get(), e.what());
    } catch (const std::exception& e) {
        if (!window) throw;  // as before the window: main() reports it
        return could_not_start(window.get(), e.what());
    }
    auto& channel = opened.channel;
    spdlog::info("connected to {} ({}), encrypted with {}", security::format_peer_id(channel->peer_id()), o.address,
                 net::cipher_name(channel->cipher()));

    const double cpu_start = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    if (window) window->attach_to(viewer_options);
    session::Viewer viewer(std::move(channel), viewer_options);
    const auto deadline = o.seconds > 0 ? start + std::chrono::milliseconds(static_cast<int64_t>(o.seconds * 1000))
                                        : std::chrono::steady_clock::time_point::max();
    bool window_closed = false;
    std::optional<std::string> path_gone;  // the path dropped and no new one came in the window
    std::vector<std::unique_ptr<session::PathRace>> races;  // of paths given up, closing
    const auto over = [&] { return stop_requested() || std::chrono::steady_clock::now() >= deadline; };
    // On connect_ms's clock: from the command's start.
    const auto ms_since_started = [started_us] { return static_cast<double>(now_us() - started_us) / 1000.0; };
    nlohmann::json paths = nlohmann::json::array({{{"path", opened.path}, {"at_ms", ms_since_started()}}});
    const auto moving = [&] { return opened.race && opened.race->upgrade_ready() && viewer.can_move(); };
    for (;;) {
        const auto settled = [&] { return viewer.ended() || viewer.path_lost() || moving(); };
        if (window)
            window_closed = !window->run_until([&] { return settled() || over(); }, &viewer);
        else
            wait_until(deadline, settled);
        if (window_closed || viewer.ended() || over()) break;
        if (!viewer.path_lost()) {
            if (!moving()) break;
            auto better = opened.race->take_upgrade();
            if (better && viewer.move_to(std::move(better->channel))) {
                spdlog::info("the session moved to {} ({})", better->path, better->address);
                opened.path = better->path;
                paths.push_back({{"path", opened.path}, {"at_ms", ms_since_started()}});
            }
            continue;
        }
        path_gone = resume_on_new_path(viewer, [&] {
            if (opened.race) races.push_back(std::move(opened.race));
            // A direct path that came up after the relay went needs no rendezvous server, which may be gone too.
            for (const auto& race : races) {
                if (auto direct = race->take_upgrade()) {
                    spdlog::info("a direct path came up meanwhile: {} ({})", direct->path, direct->address);
                    opened.path = direct->path;
                    paths.push_back({{"path", opened.path}, {"at_ms", ms_since_started()}});
                    return std::move(direct->channel);
                }
            }
            opened = open_channel(transport, punching, o, *context, data_dir, host_check, window.get(), deadline);
            paths.push_back({{"path", opened.path}, {"at_ms", ms_since_started()}});
            return std::move(opened.channel);
        }, deadline);
        if (path_gone) break;
    }
    const std::optional<std::string> window_lost = window ? window->lost() : std::nullopt;
    const bool ended_by_host = viewer.ended();
    viewer.stop(path_gone.value_or("viewer closed"));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const session::ViewerReport report = viewer.report();
    if (window && ended_by_host && !window_closed) {
        // Why it ended stays in the window until it is closed.
        window->show_status((report.logged_in ? "session ended: " : "") + report.end_reason);
        wait_for_close(*window, deadline);
    }
    nlohmann::json summary = summarize_viewer(report, seconds, cpu_seconds() - cpu_start);
    summary["path"] = opened.path;
    summary["paths"] = paths;  // each path the session ran on, from when it did
    summary["resumed"] = report.resumed;
    summary["moved"] = report.moved;
    summary["move_gap_ms"] = static_cast<double>(report.move_gap_us) / 1000.0;
    summary["connect_ms"] = report.first_frame_us > 0 ? static_cast<double>(report.first_frame_us - started_us) / 1000.0 : 0.0;
    if (global.json) {
        std::cout << summary.dump() << std::endl;
    } else {
        std::cout << "tether connect " << o.address << "\n";
        print_viewer_summary(summary);
    }
    if (!o.png.empty()) {
        if (const auto frame = viewer.last_frame()) write_png(*frame, o.png);
    }
    // Before the login too, where the report's reason is only "viewer closed".
    if (window_lost) {
        spdlog::error("the viewer window is gone: {}", *window_lost);
        return 1;
    }
    if (!report.logged_in) {
        spdlog::error("{}", report.end_reason.empty() ? "not logged in" : report.end_reason);
        return 1;
    }
    if (path_gone) {
        spdlog::error("session ended early: {}", *path_gone);
        return 1;
    }
    // A session that may view and showed nothing did not work, however politely it ended.
    if (!window_closed && (viewer.granted() & session::kView) && report.frames == 0) {
        spdlog::error("no picture came from the host{}", report.end_reason.empty() ? "" : " (" + report.end_reason + ")");
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
        "connect",
        std::string("View a remote host in a window: its screen scaled to fit, with mouse, keyboard and clipboard sent "
                    "to it when --permissions asks for input and clipboard and the host grants them. ") +
            window::kOverlayKeyName +
            " shows or hides statistics (fps, latency, bitrate, codec, path); " + window::kMonitorKeyName +
            " shows the host's next monitor; closing the window ends the session. "
            "Without a password option the window asks for it. With --headless, or without a display, it only "
            "logs in, decodes and reports. Exit 0 when the time is up, on Ctrl-C, when the window is closed or "
            "when the host shuts down; 1 when the session could not start or was cut short, when no picture came "
            "although it may view, or when the window's display went away");
    cmd->add_option("address", o->address,
                    "The host's ID (9 digits, found through the rendezvous server) or HOST:PORT, as `tether host` "
                    "prints them. By ID every path is tried at once (direct TCP and UDP through NATs, the relay); the "
                    "session starts on the first and moves to a direct one when it comes up (--json lists the paths)")
        ->required();
    cmd->add_option("--rendezvous", o->rendezvous,
                    "HOST[:PORT] of the rendezvous server that knows the ID, or ws://HOST[:PORT][/PATH] where only web "
                    "ports get out (default: the config's network.rendezvous)");
    cmd->add_option("--rendezvous-key", o->rendezvous_key,
                    "The rendezvous server's key, as `tether serve --print-key` prints it (default: the config's "
                    "network.rendezvous_key, else pinned on first use)");
    auto* password = cmd->add_option("--password", o->password, "The host's one-time or permanent password");
    cmd->add_flag("--password-stdin", o->password_stdin, "Read the password from the first line of stdin")->excludes(password);
    cmd->add_option("--permissions", o->permissions, "What to ask for: view,input,clipboard,files,audio,tunnel")
        ->capture_default_str();
    cmd->add_option("--seconds", o->seconds, "Stay this long (default: until the host ends it or Ctrl-C)")
        ->check(CLI::Range(0.0, 31'536'000.0));
    cmd->add_option("--accept-key", o->accept_key,
                    "Accept this host key fingerprint even if another one is pinned (after checking it out of band)");
    cmd->add_option("--monitor", o->monitor,
                    "Show this monitor of the host (1, 2, ... as the host lists them; 0: the whole screen)")
        ->check(CLI::Range(0, 16))
        ->capture_default_str();
    cmd->add_option("--codec", o->codec,
                    "Ask the host for this codec (av1, vp9, vp8, h264: one this viewer decodes) once logged in, where it "
                    "chose another; it switches at its next keyframe if it sends that codec (default: the host's choice)");
    cmd->add_flag("--headless", o->headless, "No window: log in, decode and report only (scripts, tests, servers)");
    add_png_option(*cmd, o->png);
    cmd->callback([&global, &exit_code, o, password] {
        o->password_given = password->count() > 0 || o->password_stdin;
        exit_code = run_connect(global, *o);
    });
}

}  // namespace tether::cli
