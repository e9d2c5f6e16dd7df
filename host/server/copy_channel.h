// What carries one direction of a relayed session from one socket to the
// other: a pipe for splice(2), or a userspace buffer. A channel holds its pipe
// or buffer only while bytes are in it and gives it back to the pool when
// drained, so an idle session costs no buffer memory and no descriptors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace tether::server {

// The outcome of one non-blocking step.
struct Moved {
    enum Status { Progress, WouldBlock, End, Failed };
    Status status = Progress;
    size_t bytes = 0;
};

class CopyPool {
public:
    static constexpr size_t kBufferSize = 64 * 1024;

    explicit CopyPool(bool splice) : splice_(splice) {}
    ~CopyPool();
    CopyPool(const CopyPool&) = delete;
    CopyPool& operator=(const CopyPool&) = delete;

    bool splice() const { return splice_; }

    struct Pipe {
        int read = -1, write = -1;
    };
    // A fresh pipe when none is free; nullopt-like {-1,-1} when the process is out of descriptors.
    Pipe take_pipe();
    void give_back(Pipe pipe);
    std::unique_ptr<uint8_t[]> take_buffer();
    void give_back(std::unique_ptr<uint8_t[]> buffer);

private:
    static constexpr size_t kKeepFree = 64;  // beyond these, given back to the system

    bool splice_;
    std::vector<Pipe> pipes_;
    std::vector<std::unique_ptr<uint8_t[]>> buffers_;
};

class CopyChannel {
public:
    explicit CopyChannel(CopyPool& pool) : pool_(pool) {}
    ~CopyChannel();
    CopyChannel(const CopyChannel&) = delete;
    CopyChannel& operator=(const CopyChannel&) = delete;

    size_t held() const { return held_; }
    // Reads at most `max` bytes from socket `from`; only when nothing is held.
    Moved fill(int from, size_t max);
    // Writes what is held to socket `to`.
    Moved drain(int to);

private:
    void release();

    CopyPool& pool_;
    CopyPool::Pipe pipe_;
    std::unique_ptr<uint8_t[]> buffer_;
    size_t offset_ = 0;  // into buffer_: written already
    size_t held_ = 0;
};

}  // namespace tether::server
