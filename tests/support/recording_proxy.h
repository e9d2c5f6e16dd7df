// A TCP relay on 127.0.0.1 that forwards one connection to a target and
// records every byte that crosses it, as a packet capture would.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tether::test {

class RecordingProxy {
public:
    explicit RecordingProxy(const std::string& target);  // "127.0.0.1:port"
    ~RecordingProxy();
    RecordingProxy(const RecordingProxy&) = delete;
    RecordingProxy& operator=(const RecordingProxy&) = delete;

    const std::string& address() const { return address_; }
    std::vector<uint8_t> recorded() const;  // both directions, in arrival order

private:
    void relay();
    int listener_ = -1;
    std::string target_;
    std::string address_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<uint8_t> recorded_;
    std::thread thread_;
};

}  // namespace tether::test
