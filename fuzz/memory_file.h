// The y4m reader and the configuration loader take a path, not bytes. A
// memfd gives each input a path without touching the disk or leaving files
// behind when a run is killed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

namespace tether::fuzz {

class MemoryFile {
public:
    explicit MemoryFile(const char* name);  // aborts when the kernel refuses a memfd
    ~MemoryFile();
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    // Replaces the contents; aborts on failure, which is never the input's fault.
    void write(std::span<const uint8_t> bytes);
    // Opening it gives a fresh read position each time.
    std::filesystem::path path() const;

private:
    int fd_;
};

}  // namespace tether::fuzz
