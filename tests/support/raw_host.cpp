#include "raw_host.h"

#include "net/handshake.h"
#include "raw_peer.h"
#include "wire_format.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>

namespace tether::test {
namespace {

// The next whole frame at the front of `stream`, taken out of it.
std::optional<std::vector<uint8_t>> take_frame(std::vector<uint8_t>& stream) {
    if (stream.size() < tcp::kHeaderSize) return std::nullopt;
    const size_t end = tcp::kHeaderSize + tcp::decode_length(stream.data());
    if (stream.size() < end) return std::nullopt;
    std::vector<uint8_t> frame(stream.begin() + tcp::kHeaderSize, stream.begin() + static_cast<std::ptrdiff_t>(end));
    stream.erase(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(end));
    return frame;
}

void send_frame(int fd, std::span<const uint8_t> message) {
    const auto header = tcp::encode_length(static_cast<uint32_t>(message.size()));
    std::vector<uint8_t> framed(header.begin(), header.end());
    framed.insert(framed.end(), message.begin(), message.end());
    if (send(fd, framed.data(), framed.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(framed.size()))
        throw std::runtime_error("raw host cannot send its HostHello");
}

}  // namespace

RawHost::RawHost(const std::string& address, const std::filesystem::path& identity_dir)
    : identity_(security::load_or_create_identity(identity_dir)) {
    sockaddr_in sa = ipv4_address(address);
    const int reuse = 1;
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0 || setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse)) != 0 ||
        bind(listener_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(listener_, 1) != 0)
        throw std::runtime_error("raw host cannot listen on " + address);
    thread_ = std::thread([this] { serve(); });
}

RawHost::~RawHost() {
    stop_ = true;
    thread_.join();
    close(listener_);
}

int RawHost::accept_viewer() {
    pollfd wait_accept{listener_, POLLIN, 0};
    while (!stop_)
        if (poll(&wait_accept, 1, 50) > 0) return accept(listener_, nullptr, nullptr);
    return -1;
}

void RawHost::serve() {
    const int viewer = accept_viewer();
    std::vector<uint8_t> stream;
    std::array<uint8_t, 65536> chunk{};
    while (viewer >= 0 && !stop_) {
        pollfd wait_data{viewer, POLLIN, 0};
        if (poll(&wait_data, 1, 50) <= 0) continue;
        const ssize_t n = recv(viewer, chunk.data(), chunk.size(), 0);
        if (n <= 0) break;
        stream.insert(stream.end(), chunk.begin(), chunk.begin() + n);
        for (auto frame = take_frame(stream); frame; frame = take_frame(stream)) {
            std::lock_guard lock(mutex_);
            if (heard_.answered) {
                heard_.frames_after_hello.push_back(std::move(*frame));
                continue;
            }
            send_frame(viewer, net::respond(identity_, *frame).reply.bytes());
            heard_.answered = true;
        }
    }
    if (viewer >= 0) close(viewer);
    std::lock_guard lock(mutex_);
    ended_ = true;
    ended_changed_.notify_all();
}

RawHost::Conversation RawHost::conversation(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ended_changed_.wait_for(lock, timeout, [this] { return ended_; });
    return heard_;
}

}  // namespace tether::test
