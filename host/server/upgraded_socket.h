// A connection whose WebSocket upgrade the gateway has answered, on its way
// from the gateway's event loop to the server of its path, which may run on
// another: the bare descriptor and its protocol, closed if nobody takes it.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <unistd.h>

#include <utility>

namespace tether::server {

class UpgradedSocket {
public:
    UpgradedSocket(int fd, boost::asio::ip::tcp protocol) : fd_(fd), protocol_(protocol) {}
    UpgradedSocket(UpgradedSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)), protocol_(other.protocol_) {}
    UpgradedSocket& operator=(UpgradedSocket&&) = delete;
    UpgradedSocket(const UpgradedSocket&) = delete;
    ~UpgradedSocket() {
        if (fd_ >= 0) ::close(fd_);
    }

    // A socket of `executor`'s loop owning the descriptor; throws boost::system::system_error.
    template <typename Socket, typename Executor>
    Socket take(const Executor& executor) {
        Socket socket(executor);
        socket.assign(protocol_, fd_);
        fd_ = -1;
        return socket;
    }

private:
    int fd_;
    boost::asio::ip::tcp protocol_;
};

}  // namespace tether::server
