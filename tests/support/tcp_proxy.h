// A TCP relay on 127.0.0.1 that forwards one connection to a target, records
// every byte that crosses it, as a packet capture would, and may cap what the
// target sends back, as a thin link would (with a small queue of its own).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tether::test {

class TcpProxy {
public:
    explicit TcpProxy(const std::string& target);  // "127.0.0.1:port"
    ~TcpProxy();
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;

    const std::string& address() const { return address_; }
    std::vector<uint8_t> recorded() const;  // both directions, in arrival order
    // What the target sends reaches the client at most this fast from now on; 0: as fast as it comes.
    void set_cap_kbps(uint32_t kbps) { cap_kbps_ = kbps; }

private:
    void relay();
    int listener_ = -1;
    std::string target_;
    std::string address_;
    std::atomic<bool> stop_{false};
    std::atomic<uint32_t> cap_kbps_{0};
    mutable std::mutex mutex_;
    std::vector<uint8_t> recorded_;
    std::thread thread_;
};

}  // namespace tether::test
