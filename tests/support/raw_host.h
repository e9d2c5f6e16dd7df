// An impostor for pinning tests: it listens where a real host listened (with
// SO_REUSEADDR, so right after that host exits), answers the real handshake
// with an identity of its own, and records every frame the viewer sends after
// its HostHello. A viewer that refuses the key sends none.
#pragma once

#include "security/identity.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tether::test {

class RawHost {
public:
    // Serves one connection on `address` ("127.0.0.1:port") as the identity in `identity_dir`,
    // created there on first use, so impostors sharing a folder are one machine.
    RawHost(const std::string& address, const std::filesystem::path& identity_dir);
    ~RawHost();
    RawHost(const RawHost&) = delete;
    RawHost& operator=(const RawHost&) = delete;

    std::string fingerprint() const { return security::fingerprint(identity_.public_key); }

    struct Conversation {
        bool answered = false;  // the HostHello went out
        std::vector<std::vector<uint8_t>> frames_after_hello;
    };
    // What the viewer said, once it has closed the connection (or the time ran out).
    Conversation conversation(std::chrono::milliseconds timeout);

private:
    void serve();
    int accept_viewer();  // -1 when stopped first

    security::Identity identity_;
    int listener_ = -1;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::condition_variable ended_changed_;
    bool ended_ = false;
    Conversation heard_;
    std::thread thread_;
};

}  // namespace tether::test
