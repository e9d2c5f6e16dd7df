#include "udp_socket.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tether::udp {
namespace {

std::error_code last_error() { return {errno, std::system_category()}; }

}  // namespace

UdpSocket UdpSocket::bind(const Address& local) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::system_error(last_error(), "cannot open a UDP socket");
    UdpSocket socket(fd);
    const sockaddr_in raw = to_sockaddr(local);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&raw), sizeof raw) != 0)
        throw std::system_error(last_error(), "cannot bind " + format_address(local));
    // What ENet asks for its own sockets; the kernel caps it at its maximum.
    const int buffer = ENET_HOST_RECEIVE_BUFFER_SIZE;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    return socket;
}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.release();
    }
    return *this;
}

UdpSocket::~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
}

Address UdpSocket::local_address_of(int fd) {
    sockaddr_in raw{};
    socklen_t size = sizeof raw;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&raw), &size) != 0)
        throw std::system_error(last_error(), "cannot read a socket's address");
    return from_sockaddr(raw);
}

std::error_code UdpSocket::send_to(int fd, const Address& to, std::span<const uint8_t> bytes, int ttl) {
    sockaddr_in raw = to_sockaddr(to);
    iovec part{const_cast<uint8_t*>(bytes.data()), bytes.size()};
    msghdr message{};
    message.msg_name = &raw;
    message.msg_namelen = sizeof raw;
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (ttl > 0) {
        // Per datagram, as ancillary data: the socket's TTL stays as it was.
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        cmsghdr* header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = IPPROTO_IP;
        header->cmsg_type = IP_TTL;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(header), &ttl, sizeof ttl);
    }
    if (::sendmsg(fd, &message, MSG_NOSIGNAL) < 0) return last_error();
    return {};
}

std::optional<UdpSocket::Received> UdpSocket::receive(std::span<uint8_t> buffer) const {
    sockaddr_in raw{};
    iovec part{buffer.data(), buffer.size()};
    msghdr message{};
    message.msg_name = &raw;
    message.msg_namelen = sizeof raw;
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    const ssize_t size = ::recvmsg(fd_, &message, 0);
    if (size < 0) return std::nullopt;  // nothing waiting, or an error the next send reports
    return Received{from_sockaddr(raw), static_cast<size_t>(size), (message.msg_flags & MSG_TRUNC) != 0};
}

}  // namespace tether::udp
