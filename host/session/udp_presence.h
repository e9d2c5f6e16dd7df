// A host's UDP port at the rendezvous server: it learns how its NAT maps,
// registers the port (proving its key, as over TCP) and registers again every
// few seconds so the NAT keeps the mapping and the server the address. Viewers
// announced with a UDP port of their own are punched to from this port.
#pragma once

#include "core/plugin_objects.h"
#include "security/identity.h"
#include "udp_mapping.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tether::session {

class UdpPresence {
public:
    // Starts at once; `server` as the TCP registration takes it ("host[:port]").
    UdpPresence(std::shared_ptr<Transport> transport, const security::Identity& identity, std::string server);
    ~UdpPresence();
    UdpPresence(const UdpPresence&) = delete;
    UdpPresence& operator=(const UdpPresence&) = delete;

    // How the port is seen, once registered; nullopt before, or while the server does not answer.
    std::optional<UdpMapping> mapping() const;
    // Registers again now, then calls `done` on this object's thread (empty:
    // nothing): the server remembers a UDP port only for a host registered over
    // TCP, so each TCP registration calls it, and says the host is registered once both are.
    void refresh(std::function<void()> done = {});
    // [blocking] A punch from the registered port; throws PluginError or std::runtime_error.
    std::unique_ptr<Connection> punch(const PunchPlan& plan);

private:
    void run();
    bool register_once(const std::string& server, const UdpMapping& mapping);

    const security::Identity& identity_;
    const std::string server_;
    DatagramReplies replies_;
    std::unique_ptr<Port> port_;
    mutable std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;
    bool refresh_ = false;
    std::vector<std::function<void()>> after_refresh_;
    std::optional<UdpMapping> mapping_;
    std::thread thread_;
};

}  // namespace tether::session
