// What carries one direction of a relayed session from one socket to the
// other. Between two peers of one framing: a pipe for splice(2), or a
// userspace buffer, the bytes untouched (CopyChannel); between framings, a
// buffer that translates (reframing_channel.h). A channel holds its pipe or
// buffer only while bytes are in it and gives it back to the pool when
// drained, so an idle session costs no buffer memory and no descriptors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <sys/types.h>

namespace tether::server {

// The outcome of one non-blocking step.
struct Moved {
    enum Status { Progress, WouldBlock, End, Failed };
    Status status = Progress;
    size_t bytes = 0;
};

// A recv(2), read or splice's result, and a send(2) or splice's, as a Moved.
Moved after_read(ssize_t n);
Moved after_write(ssize_t n);

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

class ByteChannel {
public:
    virtual ~ByteChannel() = default;

    virtual size_t held() const = 0;
    // Reads at most `max` bytes from socket `from`; only when nothing is held.
    virtual Moved fill(int from, size_t max) = 0;
    // Writes what is held to socket `to`.
    virtual Moved drain(int to) = 0;
    // The source ended in order: holds what the destination's framing says
    // at an end (a WebSocket close) and returns true, or returns false.
    virtual bool end_output() { return false; }
};

class CopyChannel final : public ByteChannel {
public:
    explicit CopyChannel(CopyPool& pool) : pool_(pool) {}
    ~CopyChannel() override;
    CopyChannel(const CopyChannel&) = delete;
    CopyChannel& operator=(const CopyChannel&) = delete;

    size_t held() const override { return held_; }
    Moved fill(int from, size_t max) override;
    Moved drain(int to) override;

private:
    void release();

    CopyPool& pool_;
    CopyPool::Pipe pipe_;
    std::unique_ptr<uint8_t[]> buffer_;
    size_t offset_ = 0;  // into buffer_: written already
    size_t held_ = 0;
};

}  // namespace tether::server
