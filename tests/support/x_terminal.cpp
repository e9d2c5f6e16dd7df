#include "x_terminal.h"

#include "process.h"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

std::string file_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Terminal::Terminal(const std::string& display, const TempDir& dir) : file_(dir.path() / "typed.txt") {
    xterm_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"xterm", "-display", display, "-geometry", "80x24+0+0", "-u8", "-e", "sh", "-c",
                                 "exec cat > " + file_.string()},
        std::map<std::string, std::string>{{"LC_ALL", "C.UTF-8"}});
    const auto found =
        run_command({"xdotool", "search", "--sync", "--onlyvisible", "--class", "xterm"}, 30s, {{"DISPLAY", display}});
    const std::string window = found.out.substr(0, found.out.find('\n'));
    if (found.exit_code != 0 || window.empty()) throw std::runtime_error("no xterm window: " + xterm_->stderr_text());
    const auto focused = run_command({"xdotool", "windowfocus", "--sync", window}, 30s, {{"DISPLAY", display}});
    if (focused.exit_code != 0) throw std::runtime_error("cannot focus the xterm: " + focused.err);
}

std::string Terminal::text_when(const std::string& expected) const {
    eventually([&] { return file_text(file_) == expected; });
    return file_text(file_);
}

}  // namespace tether::test
