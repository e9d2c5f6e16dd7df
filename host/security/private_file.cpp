#include "private_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace tether::security {
namespace fs = std::filesystem;
namespace {

constexpr mode_t kOwnerOnly = S_IRUSR | S_IWUSR;

[[noreturn]] void fail(const fs::path& file, const std::string& reason) {
    throw std::runtime_error(file.string() + ": " + reason);
}

[[noreturn]] void fail_errno(const fs::path& file, const std::string& action) {
    fail(file, action + ": " + std::strerror(errno));
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// Closes the descriptor on every path out of a function.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    // close() reports write-back errors that a silent close in the destructor would lose.
    int close() { return ::close(std::exchange(fd_, -1)); }

private:
    int fd_;
};

void check_private(const fs::path& file, const struct stat& st, size_t max_size) {
    if (!S_ISREG(st.st_mode)) fail(file, "not a regular file");
    if (st.st_uid != ::geteuid())
        fail(file, "belongs to user id " + std::to_string(st.st_uid) + ", not to the user running tether");
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        fail(file, "is open to other users (mode " + octal_mode(st.st_mode) + "); run: chmod 600 " + file.string());
    if (static_cast<uint64_t>(st.st_size) > max_size)
        fail(file, "is " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_size) +
                       " such a file can be");
}

void write_all(int fd, const fs::path& file, std::string_view contents) {
    while (!contents.empty()) {
        const ssize_t n = ::write(fd, contents.data(), contents.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_errno(file, "cannot write");
        contents.remove_prefix(static_cast<size_t>(n));
    }
}

// A rename or link is only durable once the folder that holds the name is synced.
void sync_folder(const fs::path& folder) {
    Fd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) fail_errno(folder, "cannot sync folder");
}

// Writes `contents` to a fresh, synced, owner-only temporary file beside `file` and returns its path.
fs::path write_temporary(const fs::path& file, std::string_view contents) {
    std::string pattern = file.string() + ".tmp-XXXXXX";
    Fd fd(::mkostemp(pattern.data(), O_CLOEXEC));
    if (fd.get() < 0) fail_errno(file, "cannot create a temporary file beside it");
    const fs::path temporary = pattern;
    try {
        // mkostemp asks for 0600 but the umask may take bits away; the mode must be exact.
        if (::fchmod(fd.get(), kOwnerOnly) != 0) fail_errno(temporary, "cannot set mode 0600");
        write_all(fd.get(), temporary, contents);
        if (::fsync(fd.get()) != 0) fail_errno(temporary, "cannot sync");
        if (fd.close() != 0) fail_errno(temporary, "cannot close");
    } catch (...) {
        ::unlink(temporary.c_str());
        throw;
    }
    return temporary;
}

fs::path folder_of(const fs::path& file) {
    return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

}  // namespace

WipeOnExit::~WipeOnExit() {
    sodium_memzero(secret_.data(), secret_.size());
}

std::optional<std::string> read_private_file(const fs::path& file, size_t max_size) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail_errno(file, "cannot open");
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail_errno(file, "cannot stat");
    check_private(file, st, max_size);

    // Reserved up front so that secret bytes are never left behind in a reallocated buffer.
    std::string contents(static_cast<size_t>(st.st_size), '\0');
    size_t filled = 0;
    while (filled < contents.size()) {
        const ssize_t n = ::read(fd.get(), contents.data() + filled, contents.size() - filled);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            sodium_memzero(contents.data(), contents.size());
            fail_errno(file, "cannot read");
        }
        if (n == 0) break;  // shrank while being read: what was there is all there is
        filled += static_cast<size_t>(n);
    }
    contents.resize(filled);
    return contents;
}

void replace_private_file(const fs::path& file, std::string_view contents) {
    const fs::path temporary = write_temporary(file, contents);
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        errno = error;
        fail_errno(file, "cannot replace");
    }
    sync_folder(folder_of(file));
}

bool create_private_file(const fs::path& file, std::string_view contents) {
    const fs::path temporary = write_temporary(file, contents);
    // link() never replaces an existing name, unlike rename().
    const int linked = ::link(temporary.c_str(), file.c_str());
    const int error = errno;
    ::unlink(temporary.c_str());
    if (linked != 0) {
        if (error == EEXIST) return false;
        errno = error;
        fail_errno(file, "cannot create");
    }
    sync_folder(folder_of(file));
    return true;
}

}  // namespace tether::security
