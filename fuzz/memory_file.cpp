#include "memory_file.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace tether::fuzz {
namespace {

[[noreturn]] void fail(const char* what) {
    std::perror(what);
    std::abort();
}

}  // namespace

MemoryFile::MemoryFile(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {
    if (fd_ < 0) fail("memfd_create");
}

MemoryFile::~MemoryFile() { ::close(fd_); }

void MemoryFile::write(std::span<const uint8_t> bytes) {
    if (::ftruncate(fd_, 0) != 0) fail("ftruncate");
    size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::pwrite(fd_, bytes.data() + written, bytes.size() - written, static_cast<off_t>(written));
        if (n <= 0) fail("pwrite");
        written += static_cast<size_t>(n);
    }
}

std::filesystem::path MemoryFile::path() const { return "/proc/self/fd/" + std::to_string(fd_); }

}  // namespace tether::fuzz
