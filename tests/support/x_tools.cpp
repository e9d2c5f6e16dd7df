#include "x_tools.h"

#include "process.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

CommandResult on_display(const std::string& display, const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = 30s) {
    return run_command(argv, timeout, {{"DISPLAY", display}});
}

std::string size_of(const std::filesystem::path& png) {
    const auto r = run_command({"identify", "-format", "%wx%h", png.string()}, 30s);
    return r.exit_code == 0 ? r.out : "";
}

}  // namespace

std::string find_window(const std::string& display, const std::string& name, std::chrono::milliseconds timeout) {
    const auto r = on_display(display, {"xdotool", "search", "--sync", "--name", name}, timeout);
    return r.exit_code == 0 ? r.out.substr(0, r.out.find('\n')) : "";
}

std::string root_window(const std::string& display) {
    // "xwininfo: Window id: 0x50d (the root window) (has no name)"
    const auto r = on_display(display, {"xwininfo", "-root"});
    const size_t at = r.out.find("Window id: ");
    if (r.exit_code != 0 || at == std::string::npos) throw std::runtime_error("xwininfo failed: " + r.err);
    const size_t start = at + std::string("Window id: ").size();
    return r.out.substr(start, r.out.find(' ', start) - start);
}

void xdotool(const std::string& display, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"xdotool"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = on_display(display, argv);
    if (r.exit_code != 0) throw std::runtime_error("xdotool " + args.front() + " failed: " + r.err);
}

bool grab_window(const std::string& display, const std::string& id, const std::filesystem::path& png) {
    return on_display(display, {"import", "-window", id, png.string()}).exit_code == 0;
}

void grab_screen(const std::string& display, const std::filesystem::path& png) {
    const auto xwd_file = png.string() + ".xwd";
    const auto grabbed = on_display(display, {"xwd", "-root", "-silent", "-out", xwd_file});
    if (grabbed.exit_code != 0) throw std::runtime_error("xwd failed: " + grabbed.err);
    const auto converted = run_command({"convert", "xwd:" + xwd_file, png.string()}, 30s);
    if (converted.exit_code != 0) throw std::runtime_error("convert failed: " + converted.err);
}

void draw_test_pattern(uint32_t width, uint32_t height, const std::filesystem::path& png) {
    const auto at = [](uint32_t side, int percent) { return std::to_string(side * percent / 100); };
    const auto rectangle = [&](int x0, int y0, int x1, int y1) {
        return "rectangle " + at(width, x0) + "," + at(height, y0) + " " + at(width, x1) + "," + at(height, y1);
    };
    const auto r = run_command({"convert", "-size", std::to_string(width) + "x" + std::to_string(height), "xc:#203060",
                                "-fill", "#c03020", "-draw", rectangle(5, 8, 40, 45),       //
                                "-fill", "#30a040", "-draw", rectangle(50, 15, 90, 80),     //
                                "-fill", "#e0d040", "-draw", rectangle(15, 55, 40, 92),     //
                                "-fill", "#f0f0f0", "-draw", rectangle(60, 85, 95, 95), png.string()},
                               30s);
    if (r.exit_code != 0) throw std::runtime_error("convert failed: " + r.err);
}

void show_on_root(const std::string& display, const std::filesystem::path& png) {
    // display exits with 1 after setting the root window's background: what matters is the screen, which callers grab.
    on_display(display, {"display", "-window", "root", png.string()});
}

double psnr(const std::filesystem::path& picture, const std::filesystem::path& reference) {
    const std::string size = size_of(picture);
    if (size.empty()) return 0;
    const auto scaled = picture.string() + ".reference.png";
    if (run_command({"convert", reference.string(), "-resize", size + "!", scaled}, 30s).exit_code != 0) return 0;
    // compare exits 1 when the pictures differ at all, and prints the PSNR on stderr.
    const auto r = run_command({"compare", "-metric", "PSNR", picture.string(), scaled, "null:"}, 30s);
    if (r.exit_code > 1) return 0;
    if (r.err.rfind("inf", 0) == 0) return std::numeric_limits<double>::infinity();
    try {
        return std::stod(r.err);
    } catch (const std::exception&) {
        return 0;
    }
}

size_t colours(const std::filesystem::path& png) {
    const auto r = run_command({"identify", "-format", "%k", png.string()}, 30s);
    try {
        return r.exit_code == 0 ? std::stoul(r.out) : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace tether::test
