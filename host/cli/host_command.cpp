#include "host_command.h"

#include "core/bus.h"
#include "pipeline/plugin_choice.h"
#include "preset_option.h"
#include "rendezvous/host_registration.h"
#include "rendezvous_server_choice.h"
#include "screen_capture.h"
#include "security/data_dir.h"
#include "session/dial_back.h"
#include "session/udp_presence.h"
#include "session/host_server.h"
#include "session/service_host.h"
#include "stop_signal.h"
#include "terminal_confirmer.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <mutex>
#include <optional>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

struct HostOptions {
    std::string listen;
    std::string codec;  // "": the config's preference
    std::string capture;  // "": the X11 screen when it can be shared, else the config's
    std::string permissions = "all";
    bool unattended = false;
    bool confirm = false;
    std::string confirm_timeout;
    std::string rendezvous;  // "": the config's network.rendezvous
    std::string preset;      // "": the config's video.preset
};

// Where the host can be dialed in its own networks: each interface's address
// when it listens on all of them.
std::vector<std::string> listening_addresses(const std::string& bound) {
    const size_t colon = bound.rfind(':');
    const std::string host = bound.substr(0, colon);
    if (host != "0.0.0.0" && host != "[::]") return {bound};
    return rendezvous::local_addresses(static_cast<uint16_t>(std::stoi(bound.substr(colon + 1))));
}

// One line per event, so scripts and tests can follow a running host. Events
// come from several threads (the confirmer's too); lines never interleave.
void announce(const GlobalOptions& global, const nlohmann::json& event, const std::string& human) {
    static std::mutex one_line_at_a_time;
    std::lock_guard lock(one_line_at_a_time);
    if (global.json)
        std::cout << event.dump() << std::endl;
    else if (!human.empty())
        std::cout << human << std::endl;
}

session::HostLimits host_limits(const Config& config) {
    session::HostLimits limits;
    limits.login_timeout = std::chrono::seconds(config.security.login_timeout.value);
    limits.write_timeout = std::chrono::seconds(config.network.write_timeout.value);
    limits.pending_logins = static_cast<size_t>(config.security.pending_logins.value);
    limits.pending_logins_per_source = static_cast<size_t>(config.security.pending_logins_per_source.value);
    limits.max_sessions = static_cast<size_t>(config.security.max_sessions.value);
    return limits;
}

int run_host(const GlobalOptions& global, const HostOptions& o) {
    if (o.confirm && o.unattended)
        throw UsageError("--confirm asks the person at this machine, and --unattended says nobody is there");
    std::map<std::string, std::string> overrides;
    if (!o.listen.empty()) overrides["network.listen"] = o.listen;
    if (!o.confirm_timeout.empty()) overrides["security.confirm_timeout"] = o.confirm_timeout;
    if (!o.capture.empty()) overrides["capture.plugin"] = o.capture;
    if (!o.preset.empty()) overrides["video.preset"] = o.preset;
    const auto context = make_context(global, overrides);
    prefer_screen_capture(*context);
    const auto data_dir = security::ensure_data_dir(global.data_dir);
    const security::Identity identity = security::load_or_create_identity(data_dir);
    uint32_t allowed = 0;
    try {
        allowed = session::parse_permissions(o.permissions);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--permissions: ") + e.what());
    }
    session::Authenticator authenticator(o.unattended ? session::AccessMode::Unattended : session::AccessMode::Attended,
                                         security::PasswordStore(data_dir / "password"), allowed);
    authenticator.on_new_password(wake_waiters);
    std::optional<TerminalConfirmer> confirmer;
    if (o.confirm)
        confirmer.emplace(std::chrono::seconds(context->config.security.confirm_timeout.value),
                          [&global](const nlohmann::json& event, const std::string& human) {
                              announce(global, event, human);
                          });

    Bus bus;
    VideoServiceOptions video_options = video_service_options(context->config, *context->chooser, o.codec);
    video_options.on_change = wake_waiters;
    MonitorVideos monitor_videos(bus, video_options);
    VideoService video(bus, std::move(video_options));
    session::ResumeTickets resume_tickets(std::chrono::seconds(context->config.network.resume_window.value));
    session::HostContext host_context{video,
                                      bus,
                                      identity,
                                      authenticator,
                                      {},
                                      host_limits(context->config),
                                      confirmer ? &*confirmer : nullptr,
                                      &monitor_videos,
                                      &resume_tickets};
    // Checked before anything listens: a bad address is the user's to fix, not a half-started host's.
    const std::string rendezvous_server = o.rendezvous.empty() ? context->config.network.rendezvous.value : o.rendezvous;
    const auto rendezvous_address = rendezvous_server.empty()
                                        ? std::nullopt
                                        : std::optional(rendezvous_server_address(rendezvous_server));
    const auto transport = Transport::create(choose_transport(context->config, *context->chooser));
    session::HostServer server(transport, context->config.network.listen.value, host_context);
    session::ServiceHost services(bus, context->chooser->all(TETHER_KIND_SERVICE, context->config.services.plugins),
                                  [&server](const session::ServiceOutput& output) { server.send_to_sessions(output); });
    video.start();

    const std::string fingerprint = security::fingerprint(identity.public_key);
    announce(global,
             {{"event", "ready"}, {"id", identity.peer_id}, {"fingerprint", fingerprint}, {"address", server.address()},
              {"transport", transport->vtable().scheme}, {"codec", video.codec()},
              {"capture", context->config.capture.plugin.value}, {"services", services.running()},
              {"mode", o.unattended ? "unattended" : "attended"}},
             "ID: " + security::format_peer_id(identity.peer_id) + "\nFingerprint: " + fingerprint + "\nListening on " +
                 server.address() + " (" + transport->vtable().scheme + ")");
    session::DialBack dial_back(transport, server, identity,
                                rendezvous_address ? relay_route_for(*context, *rendezvous_address) : session::RelayRoute());
    // Declared after dial_back: closing its port ends the punches dial_back waits for.
    std::optional<session::UdpPresence> udp_presence;
    std::optional<rendezvous::HostRegistration> registration;
    if (rendezvous_address) {
        // A server reached over WebSocket is beyond a firewall that lets no UDP out.
        const Factory* punching =
            rendezvous_address->websocket() ? nullptr : choose_punching_transport(context->config, *context->chooser);
        if (punching != nullptr) {
            udp_presence.emplace(Transport::create(*punching), identity, rendezvous_address->host_port);
            dial_back.punch_from(&*udp_presence);
        }
        const std::string bound = server.address();
        rendezvous::RegistrationOptions options{
            *rendezvous_address, listening_addresses(bound),
            static_cast<uint32_t>(std::stoul(bound.substr(bound.rfind(':') + 1)))};
        registration.emplace(
            identity, options,
            [&global, &udp_presence, server_name = options.server.text](const proto::Registered& r) {
                const auto registered = [&global, server_name, r] {
                    announce(global,
                             {{"event", "registered"}, {"server", server_name}, {"public_address", r.public_addr()}},
                             "Registered with " + server_name + " (seen as " + r.public_addr() + ")");
                };
                // Registered once the UDP port is too (or could not be): a viewer from now on can punch.
                if (udp_presence)
                    udp_presence->refresh(registered);
                else
                    registered();
            },
            [&dial_back](const proto::Incoming& incoming) { dial_back.on_incoming(incoming); },
            [&global](const std::string& why) {
                spdlog::warn("rendezvous: {}; trying again", why);
                announce(global, {{"event", "registration_lost"}, {"reason", why}}, "");
            });
    }
    // Shows each new one-time password until a stop or a failure.
    std::string shown;
    for (;;) {
        wait_until(std::chrono::steady_clock::time_point::max(),
                   [&] { return authenticator.one_time_password() != shown || !video.error().empty(); });
        if (stop_requested() || !video.error().empty()) break;
        shown = authenticator.one_time_password();
        announce(global, {{"event", "one_time_password"}, {"password", shown}}, "One-time password: " + shown);
    }
    registration.reset();  // no viewer is announced past here
    video.stop();
    if (!video.error().empty()) {
        spdlog::error("video stopped: {}", video.error());
        return 1;
    }
    return 0;
}

}  // namespace

void add_host_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto options = std::make_shared<HostOptions>();
    CLI::App* cmd = app.add_subcommand("host", "Share this machine: print its ID and a one-time password, accept viewers");
    cmd->add_option("--listen", options->listen, "HOST:PORT to accept viewers on (default: the config's network.listen)");
    add_preset_option(*cmd, options->preset);
    cmd->add_option("--codec", options->codec, "Video codec (vp8, vp9, ...) or encoder plugin name; default: the first usable of the config's [video] encoders");
    cmd->add_option("--capture", options->capture,
                    "What to share: x11 (the X11 screen of $DISPLAY or capture.source), synthetic (a moving test "
                    "desktop), file, or another capture plugin; default: the X11 screen when it can be opened, else "
                    "the config's capture.plugin");
    cmd->add_option("--permissions", options->permissions,
                    "What sessions may do at most: view,input,clipboard,files,audio,tunnel or all")
        ->capture_default_str();
    cmd->add_flag("--unattended", options->unattended,
                  "Nobody is at this machine: accept only the permanent password (see `tether passwd`)");
    cmd->add_flag("--confirm", options->confirm,
                  "Ask on this terminal before each session starts; unanswered questions are refused "
                  "after --confirm-timeout");
    cmd->add_option("--confirm-timeout", options->confirm_timeout,
                    "Seconds a --confirm question waits for an answer (default: the config's "
                    "security.confirm_timeout, 30)");
    cmd->add_option("--rendezvous", options->rendezvous,
                    "HOST[:PORT] of a rendezvous server (`tether serve`) to register with, so viewers reach this "
                    "machine by its ID from anywhere, or ws://HOST[:PORT][/PATH] where only web ports get out "
                    "(default: the config's network.rendezvous)");
    cmd->callback([&global, &exit_code, options] { exit_code = run_host(global, *options); });
}

}  // namespace tether::cli
