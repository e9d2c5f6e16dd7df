/* One source, built once per way a plugin can be broken (BROKEN_* below), so
 * the loader's refusals and the isolated probes are tested against real
 * shared objects. BROKEN_PROBE_CRASHES and BROKEN_PROBE_HANGS load fine and
 * offer a VP8 encoder whose probe crashes or never returns, as a broken
 * driver's might; each probe first appends a line to $TETHER_TEST_PROBE_LOG,
 * so a test can count how often it ran. */
#include <tether/plugin.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#if defined(BROKEN_PROBE_CRASHES) || defined(BROKEN_PROBE_HANGS)
static int probe(const tether_host_api* host, tether_error* why) {
    (void)host;
    (void)why;
    const char* log = getenv("TETHER_TEST_PROBE_LOG");
    FILE* out = log != NULL ? fopen(log, "a") : NULL;
    if (out != NULL) {
        fprintf(out, "%s\n", PLUGIN_NAME);
        fclose(out);
    }
#if defined(BROKEN_PROBE_CRASHES)
    raise(SIGSEGV);
#endif
    sleep(3600); /* past any probe timeout */
    return TETHER_UNAVAILABLE;
}

/* Never reached: the probe never says yes. */
static void* create(const tether_host_api* host, const tether_encoder_config* config, tether_error* err) {
    (void)host;
    (void)config;
    strncpy(err->text, "never probed ok", err->capacity - 1);
    return NULL;
}
static void destroy(void* encoder) { (void)encoder; }
static int encode(void* encoder, const tether_video_frame* frame, uint32_t flags, tether_packet_sink sink, void* ctx,
                  tether_error* err) {
    (void)encoder, (void)frame, (void)flags, (void)sink, (void)ctx, (void)err;
    return TETHER_ERROR;
}

static const tether_encoder_vtable vtable = {
    sizeof(tether_encoder_vtable), "vp8", TETHER_PIXEL_BIT(TETHER_PIXEL_I420), 0, 16384, 16384, probe, create, destroy,
    encode, NULL, NULL, NULL, /* get_extension, reconfigure, limits: none */
};
static const tether_factory factory = {
    sizeof(tether_factory), TETHER_KIND_ENCODER, PLUGIN_NAME, "an encoder whose probe misbehaves", 100, &vtable, NULL, NULL,
};
#endif

static const tether_factory* get_factory(uint32_t index) {
#if defined(BROKEN_PROBE_CRASHES) || defined(BROKEN_PROBE_HANGS)
    return index == 0 ? &factory : NULL;
#else
    (void)index;
    return NULL;
#endif
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
