#include "loopback.h"

#include "core/temp_folder.h"
#include "process_stats.h"
#include "session/host_server.h"
#include "session/service_host.h"
#include "stop_signal.h"

#include <spdlog/spdlog.h>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
constexpr auto kLoopbackConnectTimeout = 5s;
// After a finite source ends, how long the last pictures may take to arrive.
constexpr auto kDrainTimeout = 10s;

}  // namespace

LoopbackResult run_loopback(LoopbackOptions options) {
    LoopbackResult result;
    // The host gets a fresh identity of its own, never the user's.
    const TempFolder host_home("tether-loopback-host");
    const security::Identity identity = security::load_or_create_identity(host_home.path());
    session::Authenticator authenticator(session::AccessMode::Attended, std::nullopt, session::kAllPermissions);
    Bus bus;
    options.video.on_change = wake_waiters;
    options.viewer.on_change = wake_waiters;
    VideoService video(bus, options.video);
    session::HostContext context{video, bus, identity, authenticator, options.channel, {}, nullptr};
    auto transport = Transport::create(*options.transport);
    session::HostServer server(transport, "127.0.0.1:0", context);
    session::ServiceHost services(bus, options.services,
                                  [&server](const session::ServiceOutput& output) { server.send_to_sessions(output); });
    result.codec = video.codec();
    result.transport = options.transport->name;
    result.width = video.width();
    result.height = video.height();
    spdlog::info("host listening on {} ({}), streaming {} {}x{}", server.address(), result.transport, result.codec,
                 result.width, result.height);

    const double cpu_start = cpu_seconds();
    const auto wall_start = std::chrono::steady_clock::now();
    options.viewer.password = authenticator.one_time_password();
    options.viewer.permissions = options.permissions;
    // The viewer knows exactly which key to expect: the one just made.
    auto channel = net::SecureChannel::connect(
        transport->connect(server.address(), kLoopbackConnectTimeout),
        [&](const std::string&, const security::PublicKey& key) {
            if (key != identity.public_key) throw net::HandshakeError("host key is not the one this run created");
        },
        options.channel);
    result.cipher = net::cipher_name(channel->cipher());
    session::Viewer viewer(std::move(channel), options.viewer);
    video.start();

    if (options.drive) {
        options.drive(viewer, server.address());
    } else if (options.duration) {
        sleep_unless_stopped(wall_start + *options.duration);
    } else {
        wait_until(std::chrono::steady_clock::time_point::max(),
                   [&] { return viewer.ended() || video.finished() || !video.error().empty(); });
        // The source is done; wait until the viewer has what was sent.
        wait_until(std::chrono::steady_clock::now() + kDrainTimeout,
                   [&] { return viewer.ended() || viewer.report().frames >= video.counters().encoded; });
    }
    video.stop();
    result.error = video.error();
    if (result.error.empty() && viewer.ended()) result.error = viewer.report().end_reason;
    viewer.stop("run complete");
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    result.cpu_seconds = cpu_seconds() - cpu_start;
    result.viewer = viewer.report();
    result.video = video.counters();
    result.last_frame = viewer.last_frame();
    return result;
}

}  // namespace tether::cli
