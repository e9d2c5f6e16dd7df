/* The entry point the ABI test plugins share: negotiation, init and the
 * descriptor. Included after the plugin's `factory` and `plugin_extension`
 * (a plugin-wide extension lookup, or NULL) are defined. */
#ifndef ABI_ENTRY_H
#define ABI_ENTRY_H

static uint32_t negotiate(uint32_t host_version) {
    if (TETHER_ABI_MAJOR_OF(host_version) != TETHER_ABI_MAJOR) return 0;
    return host_version < TETHER_ABI_CURRENT ? host_version : TETHER_ABI_CURRENT;
}

static int init(const tether_host_api* host, tether_error* err) {
    (void)host;
    (void)err;
    return TETHER_OK;
}

static void deinit(void) {}

static const tether_factory* get_factory(uint32_t index) { return index == 0 ? &factory : NULL; }

static const tether_plugin_descriptor descriptor = {
    sizeof(tether_plugin_descriptor), TETHER_ABI_CURRENT, PLUGIN_NAME, "1.0.0", "ABI compatibility test plugin",
    negotiate, init, deinit, get_factory, plugin_extension,
};

TETHER_EXPORT const tether_plugin_descriptor* tether_plugin_entry(void) { return &descriptor; }

#endif
