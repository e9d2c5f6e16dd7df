#include "service_host.h"

#include "core/host_api.h"
#include "core/message_text.h"
#include "protocol.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace tether::session {
namespace {

using namespace std::chrono_literals;
// Messages a service may have waiting; past it the session that sends blocks
// (input is not dropped), which only that viewer's connection feels.
constexpr size_t kServiceBacklog = 1024;

}  // namespace

std::string refuse_service_output(const ServiceOutput& output) {
    if (output.topic != "clipboard" && output.topic != "clipboard.primary")
        return "no session takes the topic \"" + output.topic.substr(0, 64) + "\"";
    if (output.data.size() > kMaxClipboardBytes)
        return "clipboard text of " + std::to_string(output.data.size()) + " bytes over the " +
               std::to_string(kMaxClipboardBytes) + "-byte limit";
    if (!is_utf8({reinterpret_cast<const char*>(output.data.data()), output.data.size()})) return "clipboard text that is not UTF-8";
    return {};
}

ServiceHost::ServiceHost(Bus& bus, const std::vector<const Factory*>& factories, ToSessions to_sessions) {
    set_service_publisher([to_sessions = std::move(to_sessions)](const tether_service_message& message, std::string& why) {
        ServiceOutput output{message.topic, std::vector<uint8_t>(message.data, message.data + message.size), message.session};
        why = refuse_service_output(output);
        if (!why.empty()) return static_cast<int>(TETHER_ERROR);
        to_sessions(output);
        return static_cast<int>(TETHER_OK);
    });
    const auto topic = bus.topic<ServiceEvent>(kServicesTopic);
    for (const Factory* factory : factories) {
        auto running = std::make_unique<Running>();
        try {
            running->service = std::make_unique<Service>(*factory);
        } catch (const std::exception& e) {
            spdlog::warn("service {} does not run: {}", factory->name, e.what());
            continue;
        }
        spdlog::info("service {} runs, taking {}", factory->name, fmt::join(running->service->topics(), ", "));
        running->feed = topic->subscribe(Delivery::backpressure(kServiceBacklog));
        running->thread = std::thread([r = running.get()] { serve(*r); });
        services_.push_back(std::move(running));
    }
}

ServiceHost::~ServiceHost() {
    set_service_publisher({});
    for (const auto& r : services_) r->feed->close();
    for (const auto& r : services_) r->thread.join();
}

std::vector<std::string> ServiceHost::running() const {
    std::vector<std::string> names;
    for (const auto& r : services_) names.push_back(r->service->name());
    return names;
}

void ServiceHost::serve(Running& running) {
    Service& service = *running.service;
    const auto& topics = service.topics();
    for (;;) {
        std::optional<ServiceEvent> event = running.feed->next(1h);
        if (!event) {
            if (running.feed->closed()) return;
            continue;
        }
        if (event->topic.empty()) {
            service.session_ended(event->session);
        } else if (std::find(topics.begin(), topics.end(), event->topic) != topics.end()) {
            service.deliver(event->topic, event->data, event->session, event->permissions);
        }
    }
}

}  // namespace tether::session
