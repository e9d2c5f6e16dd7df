#include "host_command.h"

#include "core/bus.h"
#include "plugin_choice.h"
#include "security/data_dir.h"
#include "session/host_server.h"
#include "stop_signal.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <mutex>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

struct HostOptions {
    std::string listen;
    std::string codec = "vp9";
    std::string permissions = "all";
    bool unattended = false;
    bool confirm = false;
};

// Asks on the terminal; a closed stdin means nobody is there to say yes.
bool confirm_on_terminal(const std::string& source, uint32_t permissions) {
    static std::mutex one_question_at_a_time;
    std::lock_guard lock(one_question_at_a_time);
    std::cerr << "Allow " << source << " to connect with " << session::format_permissions(permissions) << "? [y/N] "
              << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes";
}

// One line per event, so scripts and tests can follow a running host.
void announce(const GlobalOptions& global, const nlohmann::json& event, const std::string& human) {
    if (global.json)
        std::cout << event.dump() << std::endl;
    else
        std::cout << human << std::endl;
}

int run_host(const GlobalOptions& global, const HostOptions& o) {
    std::map<std::string, std::string> overrides;
    if (!o.listen.empty()) overrides["network.listen"] = o.listen;
    const auto context = make_context(global, overrides);
    const auto data_dir = security::ensure_data_dir(global.data_dir);
    const security::Identity identity = security::load_or_create_identity(data_dir);
    uint32_t allowed = 0;
    try {
        allowed = session::parse_permissions(o.permissions);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--permissions: ") + e.what());
    }
    session::Authenticator authenticator(o.unattended ? session::AccessMode::Unattended : session::AccessMode::Attended,
                                         security::PasswordStore(data_dir / "password"), allowed,
                                         o.confirm ? session::Authenticator::ConfirmFn(&confirm_on_terminal) : nullptr);

    Bus bus;
    VideoService video(bus, video_service_options(*context, o.codec));
    session::HostContext host_context{video, bus, identity, authenticator, {}};
    session::HostServer server(Transport::create(choose_transport(*context)), context->config.network.listen.value,
                               host_context);
    video.start();

    const std::string fingerprint = security::fingerprint(identity.public_key);
    announce(global,
             {{"event", "ready"}, {"id", identity.peer_id}, {"fingerprint", fingerprint}, {"address", server.address()},
              {"codec", video.codec()}, {"mode", o.unattended ? "unattended" : "attended"}},
             "ID: " + security::format_peer_id(identity.peer_id) + "\nFingerprint: " + fingerprint + "\nListening on " +
                 server.address());
    std::string shown;
    while (!stop_requested() && video.error().empty()) {
        if (const std::string otp = authenticator.one_time_password(); otp != shown) {
            shown = otp;
            announce(global, {{"event", "one_time_password"}, {"password", otp}}, "One-time password: " + otp);
        }
        server.active_sessions();  // retires ended sessions
        std::this_thread::sleep_for(100ms);
    }
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
    cmd->add_option("--codec", options->codec, "Video codec")->check(CLI::IsMember({"vp8", "vp9"}))->capture_default_str();
    cmd->add_option("--permissions", options->permissions,
                    "What sessions may do at most: view,input,clipboard,files,audio,tunnel or all")
        ->capture_default_str();
    cmd->add_flag("--unattended", options->unattended,
                  "Nobody is at this machine: accept only the permanent password (see `tether passwd`)");
    cmd->add_flag("--confirm", options->confirm, "Ask on this terminal before each session starts");
    cmd->callback([&global, &exit_code, options] { exit_code = run_host(global, *options); });
}

}  // namespace tether::cli
