/* One source, built once per way a plugin can be broken (BROKEN_* below), so
 * the loader's refusals are tested against real shared objects. */
#include <tether/plugin.h>

#include <string.h>

#if defined(BROKEN_UNRESOLVED)
/* Never defined anywhere: RTLD_NOW must refuse the library at load time. */
extern int tether_symbol_that_does_not_exist(void);
#endif

static uint32_t negotiate(uint32_t host_version) {
#if defined(BROKEN_REFUSES_NEGOTIATION)
    (void)host_version;
    return 0;
#else
    return host_version;
#endif
}

static int init(const tether_host_api* host, tether_error* err) {
    (void)host;
#if defined(BROKEN_INIT_FAILS)
    strncpy(err->text, "the device it needs is missing", err->capacity - 1);
    return TETHER_ERROR;
#else
    (void)err;
    return TETHER_OK;
#endif
}

static void deinit(void) {}

static const tether_factory* get_factory(uint32_t index) {
    (void)index;
    return NULL;
}

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor),
#if defined(BROKEN_FUTURE_ABI)
    TETHER_ABI_VERSION(99, 0),
#else
    TETHER_ABI_CURRENT,
#endif
    PLUGIN_NAME,
    "1.0.0",
    "a deliberately broken plugin for loader tests",
    negotiate,
    init,
    deinit,
    get_factory,
    NULL,
};

#if !defined(BROKEN_NO_ENTRY)
TETHER_EXPORT const tether_plugin_descriptor* tether_plugin_entry(void) {
#if defined(BROKEN_UNRESOLVED)
    if (tether_symbol_that_does_not_exist()) return NULL;
#endif
    return &descriptor;
}
#else
TETHER_EXPORT const tether_plugin_descriptor* some_other_symbol(void) { return &descriptor; }
#endif
