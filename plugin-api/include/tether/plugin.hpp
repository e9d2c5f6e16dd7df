// Header-only C++ helpers for plugin authors. They turn ordinary C++ classes
// into the C tables of plugin.h, catch every exception at the boundary and
// turn it into a TETHER_ERROR with the message, so nothing C++ crosses the ABI.
//
//   struct MyEncoder {
//       static int probe(const tether_host_api*, std::string& why);
//       MyEncoder(const tether_host_api*, const tether_encoder_config&);   // throws on failure
//       void encode(const tether_video_frame&, uint32_t flags, tether::PacketSink);
//   };
//   constexpr tether_encoder_vtable my_vtable = tether::encoder_vtable<MyEncoder>("vp9", formats);
//   constexpr tether_factory my_factory = tether::factory(TETHER_KIND_ENCODER, "my-vp9", "...", 0, &my_vtable);
//   TETHER_PLUGIN("my-plugin", "1.0.0", "What it does", &my_factory)
#pragma once

#include <tether/plugin.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tether {

inline void write_error(tether_error* err, std::string_view text) noexcept {
    if (err == nullptr || err->text == nullptr || err->capacity == 0) return;
    const size_t n = std::min(text.size(), err->capacity - 1);
    std::memcpy(err->text, text.data(), n);
    err->text[n] = '\0';
}

// Runs `body`, turning an exception into TETHER_ERROR with its message.
template <typename Body>
int guarded(tether_error* err, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::exception& e) {
        write_error(err, e.what());
    } catch (...) {
        write_error(err, "unknown error");
    }
    return TETHER_ERROR;
}

// Runs `body`, which returns a new object's handle: nullptr, with the reason
// in `err`, when it throws.
template <typename Body>
auto made_guarded(tether_error* err, Body&& body) noexcept -> decltype(body()) {
    decltype(body()) made = nullptr;
    guarded(err, [&] {
        made = body();
        return TETHER_OK;
    });
    return made;
}

template <typename T, typename... Args>
void* create_guarded(tether_error* err, Args&&... args) noexcept {
    void* made = nullptr;
    guarded(err, [&] {
        made = new T(std::forward<Args>(args)...);
        return TETHER_OK;
    });
    return made;
}

template <typename T>
int probe_guarded(const tether_host_api* host, tether_error* why) noexcept {
    return guarded(why, [&] {
        std::string reason;
        const int status = T::probe(host, reason);
        write_error(why, reason);
        return status;
    });
}

// The encoder's view of the packet callback.
struct PacketSink {
    tether_packet_sink fn;
    void* ctx;
    void operator()(const tether_packet& packet) const { fn(ctx, &packet); }
};

struct FrameSink {
    tether_frame_sink fn;
    void* ctx;
    void operator()(const tether_video_frame& frame) const { fn(ctx, &frame); }
};

template <typename T>
constexpr auto capture_wait() -> int (*)(void*, uint32_t, tether_error*) {
    if constexpr (requires(T& t) { t.wait(uint32_t{}); })
        return [](void* self, uint32_t timeout_ms, tether_error* err) {
            return guarded(err, [&] { return static_cast<T*>(self)->wait(timeout_ms); });
        };
    else
        return nullptr;
}

template <typename T>
constexpr auto capture_cursor() -> int (*)(void*, tether_cursor*, tether_error*) {
    if constexpr (requires(T& t, tether_cursor& c) { t.cursor(c); })
        return [](void* self, tether_cursor* cursor, tether_error* err) {
            return guarded(err, [&] { return static_cast<T*>(self)->cursor(*cursor); });
        };
    else
        return nullptr;
}

template <typename T>
constexpr auto capture_monitors() -> int (*)(void*, tether_monitor*, uint32_t, uint32_t*, tether_error*) {
    if constexpr (requires(T& t, std::span<tether_monitor> list, uint32_t& count) { t.monitors(list, count); })
        return [](void* self, tether_monitor* list, uint32_t capacity, uint32_t* count, tether_error* err) {
            return guarded(err, [&] { return static_cast<T*>(self)->monitors(std::span(list, capacity), *count); });
        };
    else
        return nullptr;
}

template <typename T>
constexpr tether_capture_vtable capture_vtable(uint32_t formats) {
    return tether_capture_vtable{
        sizeof(tether_capture_vtable),
        formats,
        &probe_guarded<T>,
        [](const tether_host_api* host, const tether_capture_config* config, tether_error* err) -> void* {
            return create_guarded<T>(err, host, *config);
        },
        [](void* self) { delete static_cast<T*>(self); },
        [](void* self, tether_video_frame* frame, tether_error* err) {
            return guarded(err, [&] { return static_cast<T*>(self)->grab(*frame); });
        },
        nullptr,  // get_extension (ABI 1.2, optional): none
        // ABI 1.4, each offered when the class has it: int wait(uint32_t timeout_ms),
        // int cursor(tether_cursor&), int monitors(std::span<tether_monitor>, uint32_t& count)
        capture_wait<T>(),
        capture_cursor<T>(),
        capture_monitors<T>(),
    };
}

template <typename T>
constexpr auto encoder_reconfigure() -> int (*)(void*, const tether_encoder_config*, tether_error*) {
    if constexpr (requires(T& t, const tether_encoder_config& c) { t.reconfigure(c); })
        return [](void* self, const tether_encoder_config* config, tether_error* err) {
            return guarded(err, [&] { return static_cast<T*>(self)->reconfigure(*config) ? TETHER_OK : TETHER_UNAVAILABLE; });
        };
    else
        return nullptr;
}

template <typename T>
constexpr auto encoder_limits() -> int (*)(const tether_host_api*, tether_encoder_limits*, tether_error*) {
    if constexpr (requires(const tether_host_api* host, tether_encoder_limits& l) { T::limits(host, l); })
        return [](const tether_host_api* host, tether_encoder_limits* limits, tether_error* err) {
            return guarded(err, [&] {
                T::limits(host, *limits);
                return TETHER_OK;
            });
        };
    else
        return nullptr;
}

template <typename T>
constexpr tether_encoder_vtable encoder_vtable(const char* codec, uint32_t formats, uint32_t flags = 0,
                                               uint32_t max_width = 16384, uint32_t max_height = 16384) {
    return tether_encoder_vtable{
        sizeof(tether_encoder_vtable),
        codec,
        formats,
        flags,
        max_width,
        max_height,
        &probe_guarded<T>,
        [](const tether_host_api* host, const tether_encoder_config* config, tether_error* err) -> void* {
            return create_guarded<T>(err, host, *config);
        },
        [](void* self) { delete static_cast<T*>(self); },
        [](void* self, const tether_video_frame* frame, uint32_t flags, tether_packet_sink sink, void* ctx,
           tether_error* err) {
            return guarded(err, [&] {
                static_cast<T*>(self)->encode(*frame, flags, PacketSink{sink, ctx});
                return TETHER_OK;
            });
        },
        nullptr,  // get_extension (ABI 1.2, optional): none
        // ABI 1.6, each offered when the class has it: bool reconfigure(const tether_encoder_config&)
        // (false: this change needs a new encoder), static void limits(const tether_host_api*, tether_encoder_limits&)
        encoder_reconfigure<T>(),
        encoder_limits<T>(),
    };
}

template <typename T>
constexpr tether_decoder_vtable decoder_vtable(const char* codec, uint32_t formats, uint32_t flags = 0) {
    return tether_decoder_vtable{
        sizeof(tether_decoder_vtable),
        codec,
        formats,
        flags,
        &probe_guarded<T>,
        [](const tether_host_api* host, uint32_t threads, tether_error* err) -> void* {
            return create_guarded<T>(err, host, threads);
        },
        [](void* self) { delete static_cast<T*>(self); },
        [](void* self, const uint8_t* data, size_t size, const tether_packet* meta, tether_frame_sink sink, void* ctx,
           tether_error* err) {
            return guarded(err, [&] {
                static_cast<T*>(self)->decode(data, size, *meta, FrameSink{sink, ctx});
                return TETHER_OK;
            });
        },
        nullptr,  // get_extension (ABI 1.2, optional): none
    };
}


// A service (ABI 1.4): a class with
//   T(const tether_host_api*);                                  // throws on failure
//   void on_message(const tether_service_message&);             // one at a time
//   void on_session_end(uint64_t session);                      // optional
// subscribed to the NULL-terminated `topics`.
template <typename T>
constexpr auto service_session_end() -> void (*)(void*, uint64_t) {
    if constexpr (requires(T& t) { t.on_session_end(uint64_t{}); })
        return [](void* self, uint64_t session) noexcept {
            try {
                static_cast<T*>(self)->on_session_end(session);
            } catch (...) {
                // nothing crosses the boundary; the service logs its own failures
            }
        };
    else
        return nullptr;
}

template <typename T>
constexpr tether_service_vtable service_vtable(const char* const* topics) {
    return tether_service_vtable{
        sizeof(tether_service_vtable),
        &probe_guarded<T>,
        [](const tether_host_api* host, tether_error* err) -> void* { return create_guarded<T>(err, host); },
        [](void* self) { delete static_cast<T*>(self); },
        // What a 1.3 host calls: the message without its session.
        [](void* self, const char* topic, const uint8_t* data, size_t size) noexcept {
            const tether_service_message message{sizeof(tether_service_message), topic, data, size, 0, 0};
            try {
                static_cast<T*>(self)->on_message(message);
            } catch (...) {
            }
        },
        topics,
        nullptr,  // get_extension (ABI 1.2, optional): none
        [](void* self, const tether_service_message* message) noexcept {
            try {
                static_cast<T*>(self)->on_message(*message);
            } catch (...) {
            }
        },
        service_session_end<T>(),
    };
}

// Publishes from a service (ABI 1.4): false, with the reason in `why`, when the host refuses or predates it.
inline bool publish(const tether_host_api* host, const char* topic, std::span<const uint8_t> data, uint64_t session,
                    std::string& why) {
    if (host == nullptr || TETHER_ABI_MINOR_OF(host->abi_version) < 4 || !TETHER_HAS_FIELD(host, tether_host_api, publish) ||
        host->publish == nullptr) {
        why = "the host cannot take messages from services (ABI 1.4)";
        return false;
    }
    const tether_service_message message{sizeof(tether_service_message), topic, data.data(), data.size(), session, 0};
    char text[256] = {};
    tether_error err{text, sizeof text};
    if (host->publish(&message, &err) == TETHER_OK) return true;
    why = text;
    return false;
}

// check_setting and probe_inputs (ABI 1.3) are optional: see tether_factory.
constexpr tether_factory factory(tether_kind kind, const char* name, const char* description, int32_t rank,
                                 const void* vtable,
                                 int (*check_setting)(const char*, const char*, tether_error*) = nullptr,
                                 const char* const* probe_inputs = nullptr) {
    return tether_factory{sizeof(tether_factory), static_cast<uint32_t>(kind), name, description, rank, vtable,
                          check_setting, probe_inputs};
}

// The value of `key` in the configuration's `[plugins.<factory>]` table (ABI 1.3),
// or nullopt when it is unset or the host predates settings.
inline std::optional<std::string> setting(const tether_host_api* host, const char* factory, const char* key) {
    if (host == nullptr || TETHER_ABI_MINOR_OF(host->abi_version) < 3 || !TETHER_HAS_FIELD(host, tether_host_api, setting) ||
        host->setting == nullptr)
        return std::nullopt;
    const char* value = host->setting(factory, key);
    return value ? std::optional<std::string>(value) : std::nullopt;
}

// Same major, and the lower of the two minors.
constexpr uint32_t negotiate_abi(uint32_t host_version, uint32_t plugin_version) {
    if (TETHER_ABI_MAJOR_OF(host_version) != TETHER_ABI_MAJOR_OF(plugin_version)) return 0;
    return std::min(host_version, plugin_version);
}

// The host API handed to init(), for plugin code that needs it outside a call.
inline const tether_host_api*& plugin_host() {
    static const tether_host_api* host = nullptr;
    return host;
}

inline void log(tether_log_level level, const char* plugin, const std::string& message) {
    if (const tether_host_api* host = plugin_host()) host->log(level, plugin, message.c_str());
}

// Runs `body` where a call has no way to report an error: what it throws is
// logged as `plugin`'s, with the call's name.
template <typename Body>
void logged(const char* plugin, const char* call, Body&& body) noexcept {
    try {
        body();
    } catch (const std::exception& e) {
        log(TETHER_LOG_ERROR, plugin, std::string(call) + ": " + e.what());
    } catch (...) {
        log(TETHER_LOG_ERROR, plugin, std::string(call) + ": unknown error");
    }
}

}  // namespace tether

// Defines the exported entry point. The arguments after the description are
// pointers to tether_factory constants.
#define TETHER_PLUGIN(NAME, VERSION, DESCRIPTION, ...)                                                       \
    namespace {                                                                                              \
    const tether_factory* const tether_plugin_factories[] = {__VA_ARGS__};                                   \
    const tether_plugin_descriptor tether_plugin_descriptor_instance = {                                    \
        sizeof(tether_plugin_descriptor),                                                                    \
        TETHER_ABI_CURRENT,                                                                                  \
        NAME,                                                                                                \
        VERSION,                                                                                             \
        DESCRIPTION,                                                                                         \
        [](uint32_t host_version) { return tether::negotiate_abi(host_version, TETHER_ABI_CURRENT); },      \
        [](const tether_host_api* host, tether_error*) {                                                     \
            tether::plugin_host() = host;                                                                    \
            return static_cast<int>(TETHER_OK);                                                              \
        },                                                                                                   \
        [] { tether::plugin_host() = nullptr; },                                                             \
        [](uint32_t index) -> const tether_factory* {                                                        \
            constexpr uint32_t count = sizeof(tether_plugin_factories) / sizeof(tether_plugin_factories[0]); \
            return index < count ? tether_plugin_factories[index] : nullptr;                                 \
        },                                                                                                   \
        [](const char*) -> const void* { return nullptr; },                                                  \
    };                                                                                                       \
    }                                                                                                        \
    extern "C" TETHER_EXPORT const tether_plugin_descriptor* tether_plugin_entry(void) {                    \
        return &tether_plugin_descriptor_instance;                                                           \
    }
