#include "passwd_command.h"

#include "stop_signal.h"

#include "security/data_dir.h"
#include "security/password_store.h"
#include "security/private_file.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

namespace tether::cli {
namespace {

constexpr size_t kMaxLineBytes = 4096;

// Hides what is typed for its lifetime, and restores the terminal on every way out, Ctrl-C included.
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) != 0)
            throw std::runtime_error(std::string("cannot read terminal settings: ") + std::strerror(errno));
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;  // the Enter key still moves to the next line
        if (::tcsetattr(fd_, TCSAFLUSH, &quiet) != 0)
            throw std::runtime_error(std::string("cannot turn echo off: ") + std::strerror(errno));
    }
    ~EchoOff() { ::tcsetattr(fd_, TCSAFLUSH, &saved_); }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int fd_;
    termios saved_{};
};

// One line without its line ending, or nullopt at end of input before any byte. Read a byte
// at a time so nothing past the line is consumed, into a buffer that never reallocates so
// no stray copy of the password is left in freed memory.
std::optional<std::string> read_password_line(int fd) {
    std::string line;
    line.reserve(kMaxLineBytes);
    char c = 0;
    bool got_any = false;
    while (true) {
        // Waits for a key or a stop (Ctrl-C), whichever comes first.
        std::array<pollfd, 2> ready{{{fd, POLLIN, 0}, {stop_descriptor(), POLLIN, 0}}};
        if (::poll(ready.data(), ready.size(), -1) < 0 && errno == EINTR) continue;
        errno = ECANCELED;
        const ssize_t n = stop_requested() ? -1 : ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            security::WipeOnExit wipe(line);
            throw std::runtime_error(stop_requested()
                                         ? "cancelled; the password was not changed"
                                         : std::string("cannot read the password: ") + std::strerror(errno));
        }
        if (n == 0) break;
        got_any = true;
        if (c == '\n') break;
        if (line.size() == kMaxLineBytes) {
            security::WipeOnExit wipe(line);
            throw UsageError("the password line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
        }
        line.push_back(c);
    }
    if (!got_any) return std::nullopt;
    if (line.ends_with('\r')) line.pop_back();
    return line;
}

std::string prompt_hidden(const char* prompt) {
    std::cerr << prompt << std::flush;
    EchoOff echo_off(STDIN_FILENO);
    auto line = read_password_line(STDIN_FILENO);
    if (!line) throw UsageError("no password typed; the password was not changed");
    return std::move(*line);
}

// Twice with echo off from a terminal; one line from anything else, for scripts.
std::string read_new_password() {
    if (!::isatty(STDIN_FILENO)) {
        auto line = read_password_line(STDIN_FILENO);
        if (!line) throw UsageError("no password on standard input; the password was not changed");
        return std::move(*line);
    }
    std::string first = prompt_hidden("New permanent password: ");
    security::WipeOnExit wipe_first(first);
    std::string second = prompt_hidden("Type it again: ");
    security::WipeOnExit wipe_second(second);
    if (first != second) throw UsageError("the two passwords differ; the password was not changed");
    return std::string(first);  // a copy: `first` itself is wiped on the way out
}

}  // namespace

void add_passwd_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    CLI::App* cmd =
        app.add_subcommand("passwd", "Set the permanent password viewers may log in with (stdin if not a terminal)");
    auto clear = std::make_shared<bool>(false);
    cmd->add_flag("--clear", *clear, "Remove the permanent password; only one-time passwords remain");
    cmd->callback([&global, &exit_code, clear] {
        security::PasswordStore store(security::ensure_data_dir(global.data_dir) / "password");
        if (*clear) {
            store.clear();
            std::cout << "Permanent password removed." << std::endl;
        } else {
            std::string password = read_new_password();
            security::WipeOnExit wipe(password);
            try {
                store.set(password);
            } catch (const std::invalid_argument& e) {
                throw UsageError(e.what());
            }
            std::cout << "Permanent password set." << std::endl;
        }
        exit_code = 0;
    });
}

}  // namespace tether::cli
