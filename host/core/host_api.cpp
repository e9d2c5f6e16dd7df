#include "host_api.h"

#include "buffer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <mutex>
#include <set>
#include <utility>

namespace tether {
namespace {

spdlog::level::level_enum to_spdlog(tether_log_level level) {
    switch (level) {
    case TETHER_LOG_TRACE: return spdlog::level::trace;
    case TETHER_LOG_DEBUG: return spdlog::level::debug;
    case TETHER_LOG_INFO: return spdlog::level::info;
    case TETHER_LOG_WARN: return spdlog::level::warn;
    case TETHER_LOG_ERROR: return spdlog::level::err;
    }
    return spdlog::level::err;
}

void plugin_log(tether_log_level level, const char* plugin, const char* message) {
    spdlog::log(to_spdlog(level), "[{}] {}", plugin ? plugin : "?", message ? message : "");
}

struct SettingsStore {
    std::mutex mutex;
    std::map<std::pair<std::string, std::string>, const std::string*> current;  // (factory, key) -> value
    std::set<std::string> texts;  // every value ever set, never freed: plugins may keep the pointers
};

SettingsStore& settings_store() {
    static SettingsStore store;
    return store;
}

const char* plugin_setting(const char* factory, const char* key) {
    if (factory == nullptr || key == nullptr) return nullptr;
    SettingsStore& store = settings_store();
    const std::lock_guard lock(store.mutex);
    const auto found = store.current.find({factory, key});
    return found == store.current.end() ? nullptr : found->second->c_str();
}

struct PublisherSlot {
    std::mutex mutex;
    ServicePublisher publisher;
};

PublisherSlot& publisher_slot() {
    static PublisherSlot slot;
    return slot;
}

int service_publish(const tether_service_message* message, tether_error* err) {
    auto fail = [err](const std::string& why) {
        if (err != nullptr && err->text != nullptr && err->capacity > 0) {
            const size_t n = std::min(why.size(), err->capacity - 1);
            std::copy_n(why.data(), n, err->text);
            err->text[n] = '\0';
        }
        return static_cast<int>(TETHER_ERROR);
    };
    if (message == nullptr || message->struct_size < TETHER_SERVICE_MESSAGE_SIZE_1_4 || message->topic == nullptr ||
        (message->data == nullptr && message->size > 0))
        return fail("not a service message");
    ServicePublisher publisher;
    {
        PublisherSlot& slot = publisher_slot();
        const std::lock_guard lock(slot.mutex);
        publisher = slot.publisher;
    }
    if (!publisher) return fail("nothing takes service messages in this process");
    std::string why;
    const int status = publisher(*message, why);
    return status == TETHER_OK ? status : fail(why);
}

const tether_host_api api = {
    sizeof(tether_host_api),
    TETHER_ABI_CURRENT,
    &plugin_log,
    &buffer_alloc,
    &buffer_ref,
    &buffer_unref,
    &now_us,
    &plugin_setting,
    &service_publish,
};

}  // namespace

const tether_host_api* host_api() { return &api; }

void set_plugin_settings(const PluginSettingValues& settings) {
    SettingsStore& store = settings_store();
    const std::lock_guard lock(store.mutex);
    store.current.clear();
    for (const auto& [factory, values] : settings)
        for (const auto& [key, value] : values) store.current[{factory, key}] = &*store.texts.insert(value).first;
}

void set_service_publisher(ServicePublisher publisher) {
    PublisherSlot& slot = publisher_slot();
    const std::lock_guard lock(slot.mutex);
    slot.publisher = std::move(publisher);
}

int64_t now_us() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

}  // namespace tether
