#include "copy_channel.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace tether::server {
namespace {

constexpr size_t kMaxSplice = 1 << 20;  // the pipe's capacity stops a splice well before this

void close_pipe(CopyPool::Pipe pipe) {
    ::close(pipe.read);
    ::close(pipe.write);
}

}  // namespace

Moved after_read(ssize_t n) {
    if (n > 0) return {Moved::Progress, static_cast<size_t>(n)};
    if (n == 0) return {Moved::End};
    return {errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Moved::WouldBlock : Moved::Failed};
}

Moved after_write(ssize_t n) {
    if (n >= 0) return {Moved::Progress, static_cast<size_t>(n)};
    return {errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Moved::WouldBlock : Moved::Failed};
}

CopyPool::~CopyPool() {
    for (const Pipe& pipe : pipes_) close_pipe(pipe);
}

CopyPool::Pipe CopyPool::take_pipe() {
    if (!pipes_.empty()) {
        const Pipe pipe = pipes_.back();
        pipes_.pop_back();
        return pipe;
    }
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return {};
    return {fds[0], fds[1]};
}

void CopyPool::give_back(Pipe pipe) {
    if (pipes_.size() < kKeepFree)
        pipes_.push_back(pipe);
    else
        close_pipe(pipe);
}

std::unique_ptr<uint8_t[]> CopyPool::take_buffer() {
    if (buffers_.empty()) return std::make_unique_for_overwrite<uint8_t[]>(kBufferSize);
    auto buffer = std::move(buffers_.back());
    buffers_.pop_back();
    return buffer;
}

void CopyPool::give_back(std::unique_ptr<uint8_t[]> buffer) {
    if (buffers_.size() < kKeepFree) buffers_.push_back(std::move(buffer));
}

CopyChannel::~CopyChannel() {
    // Bytes still held are dropped with the session: the pipe cannot go back with them in it.
    if (pipe_.read >= 0) close_pipe(pipe_);
    if (buffer_) pool_.give_back(std::move(buffer_));
}

void CopyChannel::release() {
    if (pipe_.read >= 0) pool_.give_back(std::exchange(pipe_, {}));
    if (buffer_) pool_.give_back(std::move(buffer_));
    offset_ = 0;
}

Moved CopyChannel::fill(int from, size_t max) {
    Moved moved;
    if (pool_.splice()) {
        if (pipe_.read < 0) pipe_ = pool_.take_pipe();
        if (pipe_.read < 0) return {Moved::Failed};
        moved = after_read(splice(from, nullptr, pipe_.write, nullptr, std::min(max, kMaxSplice),
                                  SPLICE_F_NONBLOCK | SPLICE_F_MOVE));
    } else {
        if (!buffer_) buffer_ = pool_.take_buffer();
        moved = after_read(::recv(from, buffer_.get(), std::min(max, CopyPool::kBufferSize), 0));
    }
    held_ += moved.bytes;
    if (held_ == 0) release();
    return moved;
}

Moved CopyChannel::drain(int to) {
    Moved moved;
    if (pool_.splice()) {
        moved = after_write(splice(pipe_.read, nullptr, to, nullptr, held_, SPLICE_F_NONBLOCK | SPLICE_F_MOVE));
    } else {
        moved = after_write(::send(to, buffer_.get() + offset_, held_, MSG_NOSIGNAL));
        offset_ += moved.bytes;
    }
    held_ -= moved.bytes;
    if (held_ == 0) release();
    return moved;
}

}  // namespace tether::server
