#include "tcp_proxy.h"

#include "raw_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

namespace tether::test {
namespace {

bool send_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

TcpProxy::TcpProxy(const std::string& target) : target_(target) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa = ipv4_address("127.0.0.1:0");
    socklen_t length = sizeof(sa);
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(listener_, 1) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&sa), &length) != 0)
        throw std::runtime_error("tcp proxy cannot listen");
    address_ = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
    thread_ = std::thread([this] { relay(); });
}

TcpProxy::~TcpProxy() {
    stop_ = true;
    thread_.join();
    close(listener_);
}

std::vector<uint8_t> TcpProxy::recorded() const {
    std::lock_guard lock(mutex_);
    return recorded_;
}

void TcpProxy::relay() {
    pollfd wait_accept{listener_, POLLIN, 0};
    while (!stop_ && poll(&wait_accept, 1, 50) == 0) {
    }
    if (stop_) return;
    const int client = accept(listener_, nullptr, nullptr);
    const int server = socket(AF_INET, SOCK_STREAM, 0);
    // Under a cap, what the relay holds is a queue the target cannot see: keep it small.
    const int small = 16 * 1024;
    setsockopt(server, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in sa = ipv4_address(target_);
    if (client < 0 || server < 0 || connect(server, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) return;
    std::array<pollfd, 2> fds{{{client, POLLIN, 0}, {server, POLLIN, 0}}};
    std::array<uint8_t, 65536> chunk{};
    // A token bucket for the target's bytes under a cap, at most a tenth of a second deep.
    double allowance = 0;
    auto refilled = std::chrono::steady_clock::now();
    bool open = true;
    while (!stop_ && open) {
        const uint32_t cap = cap_kbps_;
        const auto now = std::chrono::steady_clock::now();
        const double bytes_per_s = cap * 1000.0 / 8;
        allowance = std::min(allowance + bytes_per_s * std::chrono::duration<double>(now - refilled).count(), bytes_per_s / 10);
        refilled = now;
        const bool target_may_send = cap == 0 || allowance >= 1;
        fds[1].events = target_may_send ? POLLIN : 0;
        if (poll(fds.data(), fds.size(), target_may_send ? 50 : 5) <= 0) continue;
        for (size_t i = 0; i < 2 && open; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const bool capped = i == 1 && cap != 0;
            const ssize_t n = recv(fds[i].fd, chunk.data(), capped ? std::min(chunk.size(), static_cast<size_t>(allowance)) : chunk.size(), 0);
            if (n <= 0) {
                open = false;
                break;
            }
            if (capped) allowance -= static_cast<double>(n);
            {
                std::lock_guard lock(mutex_);
                recorded_.insert(recorded_.end(), chunk.begin(), chunk.begin() + n);
            }
            open = send_all(fds[1 - i].fd, chunk.data(), static_cast<size_t>(n));
        }
    }
    close(client);
    close(server);
}

}  // namespace tether::test
