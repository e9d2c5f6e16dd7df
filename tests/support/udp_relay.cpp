#include "udp_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace tether::test {

using namespace std::chrono_literals;
namespace {

sockaddr_in socket_address(const std::string& address) {
    const size_t colon = address.rfind(':');
    sockaddr_in raw{};
    raw.sin_family = AF_INET;
    raw.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    if (inet_pton(AF_INET, address.substr(0, colon).c_str(), &raw.sin_addr) != 1)
        throw std::invalid_argument("not an IPv4 address: " + address);
    return raw;
}

std::string text_of(const sockaddr_in& raw) {
    char ip[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &raw.sin_addr, ip, sizeof ip);
    return std::string(ip) + ":" + std::to_string(ntohs(raw.sin_port));
}

}  // namespace

bool send_spoofed(const std::string& from, const std::string& to, std::span<const uint8_t> bytes) {
    const int fd = ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW);  // the caller writes the IP header
    if (fd < 0) return false;
    const sockaddr_in source = socket_address(from);
    const sockaddr_in target = socket_address(to);
    std::vector<uint8_t> packet(sizeof(iphdr) + sizeof(udphdr) + bytes.size());
    iphdr ip{};
    ip.version = 4;
    ip.ihl = sizeof ip / 4;
    ip.ttl = 64;
    ip.protocol = IPPROTO_UDP;
    ip.tot_len = htons(static_cast<uint16_t>(packet.size()));  // the kernel fills the ID and checksum
    ip.saddr = source.sin_addr.s_addr;
    ip.daddr = target.sin_addr.s_addr;
    udphdr udp{};
    udp.source = source.sin_port;
    udp.dest = target.sin_port;
    udp.len = htons(static_cast<uint16_t>(sizeof udp + bytes.size()));  // checksum 0: none, as IPv4 allows
    std::memcpy(packet.data(), &ip, sizeof ip);
    std::memcpy(packet.data() + sizeof ip, &udp, sizeof udp);
    std::copy(bytes.begin(), bytes.end(), packet.begin() + sizeof ip + sizeof udp);
    const bool sent = ::sendto(fd, packet.data(), packet.size(), 0, reinterpret_cast<const sockaddr*>(&target),
                               sizeof target) == static_cast<ssize_t>(packet.size());
    ::close(fd);
    return sent;
}

// ---- RawUdp ----

RawUdp::RawUdp(const std::string& ip) : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::system_category(), "socket");
    sockaddr_in raw = socket_address(ip + ":0");
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&raw), sizeof raw) != 0)
        throw std::system_error(errno, std::system_category(), "bind " + ip);
    socklen_t size = sizeof raw;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&raw), &size);
    address_ = text_of(raw);
}

RawUdp::~RawUdp() { ::close(fd_); }

void RawUdp::send_to(const std::string& address, std::span<const uint8_t> bytes) const {
    const sockaddr_in to = socket_address(address);
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

std::optional<RawUdp::Datagram> RawUdp::receive(std::chrono::milliseconds timeout) const {
    pollfd wait{fd_, POLLIN, 0};
    if (::poll(&wait, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    std::vector<uint8_t> bytes(65536);
    sockaddr_in from{};
    socklen_t size = sizeof from;
    const ssize_t got = ::recvfrom(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&from), &size);
    if (got < 0) return std::nullopt;
    bytes.resize(static_cast<size_t>(got));
    return Datagram{text_of(from), std::move(bytes)};
}

// ---- UdpRelay ----

UdpRelay::UdpRelay(std::string server) : server_(std::move(server)), thread_([this] { run(); }) {}

UdpRelay::~UdpRelay() {
    stop_ = true;
    thread_.join();
}

bool UdpRelay::dropping() {
    random_ = random_ * 1103515245 + 12345;
    return static_cast<int>((random_ >> 16) % 100) < drop_percent_;
}

void UdpRelay::run() {
    std::string client;
    while (!stop_) {
        pollfd fds[2] = {{front_.fd(), POLLIN, 0}, {back_.fd(), POLLIN, 0}};
        if (::poll(fds, 2, 20) <= 0) continue;
        if (fds[0].revents != 0) {
            if (auto datagram = front_.receive(0ms)) {
                client = datagram->from;
                if (!dropping()) back_.send_to(server_, datagram->bytes);
            }
        }
        if (fds[1].revents != 0) {
            if (auto datagram = back_.receive(0ms); datagram && !client.empty() && !dropping())
                front_.send_to(client, datagram->bytes);
        }
    }
}

}  // namespace tether::test
