#include "desktop_bench.h"

#include "loopback.h"
#include "screen_bench_context.h"
#include "pipeline/plugin_choice.h"
#include "size_option.h"
#include "stop_signal.h"
#include "core/background_command.h"
#include "xbench/xvfb_display.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <regex>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kSettle = 3s;  // the first whole picture, and the workload's start, before measuring

struct DesktopBenchOptions {
    double seconds = 10;
    std::string size = "1920x1080";
    std::vector<std::string> workloads{"idle", "typing", "scrolling"};
    bool vnc = true;
};

// TCP payload both ways on the established connections of a local port, as the kernel counts it:
// the same measure for every system.
uint64_t wire_bytes(uint16_t port) {
    const CommandResult r =
        run_command({"ss", "-tinH", "state", "established", "(", "sport", "=", ":" + std::to_string(port), ")"}, 10s);
    if (r.exit_code != 0) throw std::runtime_error("ss failed (apt-get install iproute2): " + r.err);
    static const std::regex counter(R"((bytes_acked|bytes_received):(\d+))");
    uint64_t total = 0;
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), counter), end; it != end; ++it)
        total += std::stoull((*it)[2].str());
    return total;
}

uint16_t port_of(const std::string& address) { return static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))); }

// A port nothing listens on now, for a server that wants one named.
uint16_t free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("no free local port");
    close(fd);
    return ntohs(address.sin_port);
}

// The X clients of a workload on `display`: an xterm, busy or not.
class Workload {
public:
    Workload(const std::string& name, const std::string& display, double seconds) : display_(display) {
        std::vector<std::string> xterm{"xterm", "-display", display, "-geometry", "100x40+100+100"};
        if (name == "scrolling") xterm.insert(xterm.end(), {"-e", "sh", "-c", "while :; do seq 1 100000; done"});
        else if (name != "idle" && name != "typing") throw std::runtime_error("unknown workload " + name);
        programs_.push_back(std::make_unique<BackgroundCommand>(xterm));
        if (name == "typing") typing_ = std::string(static_cast<size_t>(seconds * 5 + 10), 'x');
    }
    // What happens while the bytes are counted: five characters a second into the xterm
    // (measured: xdotool types a character every half --delay).
    void start_measured() {
        if (typing_.empty()) return;
        run_command({"xdotool", "mousemove", "400", "300"}, 10s, {{"DISPLAY", display_}});
        programs_.push_back(std::make_unique<BackgroundCommand>(
            std::vector<std::string>{"xdotool", "type", "--delay", "400", typing_}, std::map<std::string, std::string>{{"DISPLAY", display_}}));
    }

private:
    std::string display_;
    std::string typing_;
    std::vector<std::unique_ptr<BackgroundCommand>> programs_;
};

struct Measured {
    double kb_per_s = 0;
    double fps = 0;  // pictures the viewer showed a second, where it says
    // VNC's own count over its connection (x11vnc's statistics): updates a second, and the
    // pixels they covered (a partial update covers a part of the screen).
    double updates_per_s = 0;
    double mpixels_per_s = 0;
};

// x11vnc's statistics of what it sent, printed when its client leaves: FramebufferUpdates, and
// the raw bytes (4 a pixel) its rectangles stood for.
struct VncSent {
    uint64_t updates = 0;
    uint64_t raw_bytes = 0;
};

VncSent vnc_sent(const std::string& log) {
    static const std::regex updates(R"(Transmit/ RawEquiv[\s\S]*?FramebufferUpdate\s*:\s*(\d+))");
    static const std::regex totals(R"(Transmit/ RawEquiv[\s\S]*?TOTALS\s*:\s*\d+\s*\|\s*\d+/\s*(\d+))");
    std::smatch u, t;
    if (!std::regex_search(log, u, updates) || !std::regex_search(log, t, totals))
        throw std::runtime_error("x11vnc printed no statistics of what it sent");
    return {std::stoull(u[1].str()), std::stoull(t[1].str())};
}

Measured measure_tether(const Context& context, const std::string& workload, const xbench::XvfbDisplay& screen,
                        double seconds) {
    Workload clients(workload, screen.name(), seconds);
    LoopbackOptions options;
    options.video = video_service_options(context.config, *context.chooser, "");
    options.transport = &choose_transport(context.config, *context.chooser);
    options.viewer.decoders = usable_decoders(context.config, *context.chooser);
    Measured m;
    options.drive = [&](session::Viewer& viewer, const std::string& address) {
        sleep_unless_stopped(Clock::now() + kSettle);
        clients.start_measured();
        const uint64_t bytes = wire_bytes(port_of(address));
        const uint64_t frames = viewer.report().frames;
        const auto start = Clock::now();
        sleep_unless_stopped(start + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
        const double span = std::chrono::duration<double>(Clock::now() - start).count();
        m.kb_per_s = static_cast<double>(wire_bytes(port_of(address)) - bytes) / 1024.0 / span;
        m.fps = static_cast<double>(viewer.report().frames - frames) / span;
    };
    const LoopbackResult r = run_loopback(std::move(options));
    if (!r.error.empty()) throw std::runtime_error("tether: " + r.error);
    return m;
}

Measured measure_vnc(const std::string& workload, const xbench::XvfbDisplay& screen,
                     const xbench::XvfbDisplay& viewer_screen, double seconds) {
    Workload clients(workload, screen.name(), seconds);
    const uint16_t port = free_port();
    BackgroundCommand server({"x11vnc", "-display", screen.name(), "-rfbport", std::to_string(port), "-localhost",
                              "-nopw", "-forever", "-shared"});
    const auto deadline = Clock::now() + 20s;
    std::unique_ptr<BackgroundCommand> viewer;
    while (Clock::now() < deadline && !server.exited()) {
        if (!viewer && run_command({"sh", "-c", "ss -tlnH | grep -q ':" + std::to_string(port) + " '"}, 5s).exit_code == 0)
            viewer = std::make_unique<BackgroundCommand>(std::vector<std::string>{
                "xtigervncviewer", "-display", viewer_screen.name(), "-PreferredEncoding=Tight", "-SecurityTypes=None",
                "127.0.0.1::" + std::to_string(port)});
        if (viewer && wire_bytes(port) > 0) break;
        std::this_thread::sleep_for(100ms);
    }
    if (!viewer || wire_bytes(port) == 0)
        throw std::runtime_error("x11vnc and xtigervncviewer did not connect (apt-get install x11vnc tigervnc-viewer): " +
                                 (server.exited() ? server.result().err : std::string("no connection")));
    const auto connected = Clock::now();
    sleep_unless_stopped(connected + kSettle);
    clients.start_measured();
    const uint64_t bytes = wire_bytes(port);
    const auto start = Clock::now();
    sleep_unless_stopped(start + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
    const auto end = Clock::now();
    Measured m;
    m.kb_per_s = static_cast<double>(wire_bytes(port) - bytes) / 1024.0 / std::chrono::duration<double>(end - start).count();
    // Its client gone, x11vnc prints what it sent over the whole connection.
    viewer.reset();
    std::this_thread::sleep_for(1s);
    server.stop();
    const VncSent sent = vnc_sent(server.result().err + server.result().out);
    const double connection_s = std::chrono::duration<double>(end - connected).count();
    m.updates_per_s = static_cast<double>(sent.updates) / connection_s;
    m.mpixels_per_s = static_cast<double>(sent.raw_bytes) / 4 / 1e6 / connection_s;
    return m;
}

int run_desktop_bench(const GlobalOptions& global, const DesktopBenchOptions& o) {
    const auto [width, height] = parse_size(o.size);
    nlohmann::json results = nlohmann::json::object();
    for (const std::string& workload : o.workloads) {
        if (stop_requested()) break;
        // A fresh screen for each run: what one left on it cannot help the next.
        const xbench::XvfbDisplay screen(width, height);
        const auto context = screen_bench_context(global, screen, width, height);
        spdlog::info("bench desktop: {} for {} s with tether", workload, o.seconds);
        const Measured tether = measure_tether(*context, workload, screen, o.seconds);
        results[workload]["tether"] = {{"kb_per_s", tether.kb_per_s}, {"fps", tether.fps}};
        if (!o.vnc) continue;
        spdlog::info("bench desktop: {} for {} s with x11vnc and TigerVNC (Tight)", workload, o.seconds);
        const xbench::XvfbDisplay vnc_screen(width, height);
        const xbench::XvfbDisplay viewer_screen(width, height);
        const Measured vnc = measure_vnc(workload, vnc_screen, viewer_screen, o.seconds);
        results[workload]["vnc"] = {{"kb_per_s", vnc.kb_per_s},
                                    {"updates_per_s", vnc.updates_per_s},
                                    {"mpixels_per_s", vnc.mpixels_per_s}};
    }
    const nlohmann::json out = {{"bench", "desktop"}, {"width", width}, {"height", height}, {"seconds", o.seconds},
                                {"workloads", results}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
        return 0;
    }
    std::cout << "bench desktop: KB/s on the wire (TCP payload, both ways), " << width << "x" << height << ", "
              << o.seconds << " s per workload\n";
    for (const auto& [workload, r] : results.items()) {
        std::cout << "  " << workload << ": tether " << r["tether"]["kb_per_s"].get<double>() << " KB/s at "
                  << r["tether"]["fps"].get<double>() << " fps";
        if (r.contains("vnc"))
            std::cout << ", vnc " << r["vnc"]["kb_per_s"].get<double>() << " KB/s ("
                      << r["vnc"]["updates_per_s"].get<double>() << " updates/s of "
                      << r["vnc"]["mpixels_per_s"].get<double>() << " Mpixels/s over its connection)";
        std::cout << "\n";
    }
    return 0;
}

}  // namespace

void add_desktop_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<DesktopBenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "desktop",
        "Bytes on the wire for desktop work on an Xvfb of its own (an idle xterm, typing at 5 characters a second, an "
        "xterm scrolling as fast as it can): Tether's host and viewer, then x11vnc with TigerVNC's viewer (Tight) on "
        "the same workload (needs Xvfb, xterm, xdotool, ss; x11vnc and xtigervncviewer unless --no-vnc)");
    cmd->add_option("--seconds", o->seconds, "Seconds measured per workload and system")
        ->check(CLI::Range(1.0, 3600.0))
        ->capture_default_str();
    cmd->add_option("--size", o->size, "Screen size WxH")->capture_default_str();
    cmd->add_option("--workloads", o->workloads, "Which: idle, typing, scrolling")
        ->check(CLI::IsMember({"idle", "typing", "scrolling"}))
        ->capture_default_str();
    cmd->add_flag("!--no-vnc", o->vnc, "Measure Tether alone");
    cmd->callback([&global, &exit_code, o] { exit_code = run_desktop_bench(global, *o); });
}

}  // namespace tether::cli
