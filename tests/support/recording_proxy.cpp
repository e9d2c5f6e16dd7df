#include "recording_proxy.h"

#include "raw_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
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

RecordingProxy::RecordingProxy(const std::string& target) : target_(target) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa = ipv4_address("127.0.0.1:0");
    socklen_t length = sizeof(sa);
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(listener_, 1) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&sa), &length) != 0)
        throw std::runtime_error("recording proxy cannot listen");
    address_ = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
    thread_ = std::thread([this] { relay(); });
}

RecordingProxy::~RecordingProxy() {
    stop_ = true;
    thread_.join();
    close(listener_);
}

std::vector<uint8_t> RecordingProxy::recorded() const {
    std::lock_guard lock(mutex_);
    return recorded_;
}

void RecordingProxy::relay() {
    pollfd wait_accept{listener_, POLLIN, 0};
    while (!stop_ && poll(&wait_accept, 1, 50) == 0) {
    }
    if (stop_) return;
    const int client = accept(listener_, nullptr, nullptr);
    const int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa = ipv4_address(target_);
    if (client < 0 || server < 0 || connect(server, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) return;
    std::array<pollfd, 2> fds{{{client, POLLIN, 0}, {server, POLLIN, 0}}};
    std::array<uint8_t, 65536> chunk{};
    bool open = true;
    while (!stop_ && open) {
        if (poll(fds.data(), fds.size(), 50) <= 0) continue;
        for (size_t i = 0; i < 2 && open; ++i) {
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const ssize_t n = recv(fds[i].fd, chunk.data(), chunk.size(), 0);
            if (n <= 0) {
                open = false;
                break;
            }
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
