/* A service plugin as a vendor would write one. Built against the frozen
 * ABI 1.0 header it takes "input" and "clipboard" through on_message, with
 * no session; built against today's header (ABI 1.4) it gets each message's
 * session and permissions, hears each session's end, and sends clipboard
 * text back to the session it came from, as a clipboard service does. What
 * it received is read through the plugin-wide extension "tether.test.service/1". */
#include "abi_service_record.h"

#include "test_plugin_basics.h"

#include <stdlib.h>
#include <string.h>

static abi_service_record seen = {PTHREAD_MUTEX_INITIALIZER, 0, 0, {0}, 0, 0, 0, 0};
static const tether_host_api* host_api;

static const char* const topics[] = {"input", "clipboard", NULL};

static void* create(const tether_host_api* host, tether_error* err) {
    (void)err;
    host_api = host;
    return &seen;
}

static void destroy(void* service) { (void)service; }

static void note(const char* topic, size_t size, uint64_t session, uint32_t permissions) {
    pthread_mutex_lock(&seen.mutex);
    ++seen.messages;
    strncpy(seen.last_topic, topic, sizeof seen.last_topic - 1);
    seen.last_size = size;
    seen.last_session = session;
    seen.last_permissions = permissions;
    pthread_mutex_unlock(&seen.mutex);
}

static void on_message(void* service, const char* topic, const uint8_t* data, size_t size) {
    (void)service;
    (void)data;
    note(topic, size, 0, 0);
}

#if TETHER_ABI_MINOR >= 4
static void on_session_message(void* service, const tether_service_message* message) {
    (void)service;
    note(message->topic, message->size, message->session, message->permissions);
    if (strcmp(message->topic, "clipboard") != 0) return;
    tether_service_message back = *message;
    char text[128];
    tether_error err = {text, sizeof text};
    host_api->publish(&back, &err);
}

static void on_session_end(void* service, uint64_t session) {
    (void)service;
    pthread_mutex_lock(&seen.mutex);
    ++seen.ended;
    seen.last_ended = session;
    pthread_mutex_unlock(&seen.mutex);
}
#endif

static const tether_service_vtable vtable = {
    sizeof(tether_service_vtable), probe, create, destroy, on_message, topics,
#if TETHER_ABI_MINOR >= 2
    NULL, /* get_extension */
#endif
#if TETHER_ABI_MINOR >= 4
    on_session_message, on_session_end,
#endif
};

static const tether_factory factory = {
    sizeof(tether_factory), TETHER_KIND_SERVICE, FACTORY_NAME, "records what it receives, for ABI compatibility tests", 0,
    &vtable,
#if TETHER_ABI_MINOR >= 3
    NULL, NULL,
#endif
};

static const void* plugin_extension(const char* id) { return strcmp(id, "tether.test.service/1") == 0 ? &seen : NULL; }

#include "abi_entry.h"
