// The service plugins of a host and the messages between them and sessions.
// Sessions publish what their viewers send ("input", "clipboard") on the
// bus topic "services", each message with its session and permissions, and
// the session's end after its last message; each service takes them in that
// order on a thread of its own, so a slow service holds up only itself.
// What services publish goes to the sessions through `to_sessions`.
#pragma once

#include "core/bus.h"
#include "core/plugin_objects.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tether::session {

struct ServiceEvent {
    std::string topic;  // empty: the session ended
    std::vector<uint8_t> data;
    uint64_t session = 0;
    uint32_t permissions = 0;
};

inline constexpr const char* kServicesTopic = "services";

// A message a service sends: to one session, or to every session (0) that may have it.
struct ServiceOutput {
    std::string topic;
    std::vector<uint8_t> data;
    uint64_t session = 0;
};

class ServiceHost {
public:
    using ToSessions = std::function<void(const ServiceOutput&)>;
    // Creates each service (a failure is logged and the others run) and
    // takes over the host API's publish entry point until destroyed.
    ServiceHost(Bus& bus, const std::vector<const Factory*>& factories, ToSessions to_sessions);
    ~ServiceHost();
    ServiceHost(const ServiceHost&) = delete;
    ServiceHost& operator=(const ServiceHost&) = delete;

    std::vector<std::string> running() const;  // the services' names

private:
    struct Running {
        std::unique_ptr<Service> service;
        std::shared_ptr<Subscription<ServiceEvent>> feed;
        std::thread thread;
    };
    static void serve(Running& running);

    std::vector<std::unique_ptr<Running>> services_;
};

// What a service may send to sessions: a topic sessions know and its limits.
// Empty when it may; why not otherwise.
std::string refuse_service_output(const ServiceOutput& output);

}  // namespace tether::session
