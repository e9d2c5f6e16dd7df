/* A capture plugin as a vendor would have written it for ABI 1.0. Built
 * against the frozen 1.0 header (tests/abi/1.0, never to change), it proves
 * that every later host loads and streams from a 1.0 plugin. Built against
 * today's header, the same source also offers a per-object extension
 * (ABI 1.2): the number of pictures grabbed, as "tether.test.grabbed/1"; and
 * takes settings (ABI 1.3) asking for what a real desktop does now and then:
 * `resize-every = N` alternates between the configured size and half of it
 * every N pictures; `unchanged-every = N` answers TETHER_AGAIN (nothing new)
 * on every N-th grab. */
#include "test_plugin_basics.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct capture {
    const tether_host_api* host;
    uint32_t width;
    uint32_t height;
    uint64_t grabbed;
    uint64_t grabs;
    unsigned resize_every;
    unsigned unchanged_every;
} capture;

#if TETHER_ABI_MINOR >= 3
/* A whole number of pictures from 1 to a million, or 0 when `text` is not one. */
static unsigned pictures_in(const char* text) {
    if (text[0] < '0' || text[0] > '9') return 0;
    char* end = NULL;
    errno = 0;
    const unsigned long pictures = strtoul(text, &end, 10);
    if (errno != 0 || *end != '\0' || pictures > 1000000) return 0;
    return (unsigned)pictures;
}

static int check_setting(const char* key, const char* value, tether_error* why) {
    if (strcmp(key, "resize-every") != 0 && strcmp(key, "unchanged-every") != 0) {
        fail(why, "is not a setting of this capturer (resize-every, unchanged-every)");
        return TETHER_ERROR;
    }
    if (pictures_in(value) == 0) {
        fail(why, "must be a whole number of pictures, from 1 to 1000000");
        return TETHER_ERROR;
    }
    return TETHER_OK;
}

/* 0 when unset, or when the host is older than settings. */
static unsigned setting_of(const tether_host_api* host, const char* key) {
    if (TETHER_ABI_MINOR_OF(host->abi_version) < 3 || !TETHER_HAS_FIELD(host, tether_host_api, setting)) return 0;
    const char* value = host->setting(FACTORY_NAME, key);
    return value != NULL ? pictures_in(value) : 0;
}
#endif

static void* create(const tether_host_api* host, const tether_capture_config* config, tether_error* err) {
    if (config->width == 0 || config->height == 0 || config->width % 2 != 0 || config->height % 2 != 0) {
        fail(err, "needs an even width and height");
        return NULL;
    }
    capture* c = calloc(1, sizeof *c);
    if (c == NULL) {
        fail(err, "out of memory");
        return NULL;
    }
    c->host = host;
    c->width = config->width;
    c->height = config->height;
#if TETHER_ABI_MINOR >= 3
    c->resize_every = setting_of(host, "resize-every");
    c->unchanged_every = setting_of(host, "unchanged-every");
#endif
    return c;
}

static void destroy(void* self) { free(self); }

/* A diagonal gradient that moves with every picture, on grey chroma. */
static int grab(void* self, tether_video_frame* frame, tether_error* err) {
    capture* c = self;
    ++c->grabs;
    if (c->unchanged_every != 0 && c->grabs % c->unchanged_every == 0) return TETHER_AGAIN;
    const int halved = c->resize_every != 0 && (c->grabbed / c->resize_every) % 2 == 1;
    const uint32_t width = halved ? c->width / 4 * 2 : c->width;
    const uint32_t height = halved ? c->height / 4 * 2 : c->height;
    const size_t luma = (size_t)width * height;
    const size_t chroma = luma / 4;
    tether_buffer* buffer = c->host->buffer_alloc(luma + 2 * chroma);
    if (buffer == NULL) {
        fail(err, "out of memory");
        return TETHER_ERROR;
    }
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) buffer->data[(size_t)y * width + x] = (uint8_t)(x + y + c->grabbed * 4);
    memset(buffer->data + luma, 128, 2 * chroma);
    frame->format = TETHER_PIXEL_I420;
    frame->width = width;
    frame->height = height;
    frame->planes[0] = buffer->data;
    frame->planes[1] = buffer->data + luma;
    frame->planes[2] = buffer->data + luma + chroma;
    frame->strides[0] = width;
    frame->strides[1] = width / 2;
    frame->strides[2] = width / 2;
    frame->buffer = buffer;
    frame->frame_number = c->grabbed++;
    frame->capture_time_us = c->host->now_us();
    return TETHER_OK;
}

#if TETHER_ABI_MINOR >= 2
static const void* get_extension(void* self, const char* id) {
    return strcmp(id, "tether.test.grabbed/1") == 0 ? &((capture*)self)->grabbed : NULL;
}
#endif

static const tether_capture_vtable vtable = {
    sizeof(tether_capture_vtable), TETHER_PIXEL_BIT(TETHER_PIXEL_I420), probe, create, destroy, grab,
#if TETHER_ABI_MINOR >= 2
    get_extension,
#endif
#if TETHER_ABI_MINOR >= 4
    NULL, NULL, NULL, /* wait, cursor, monitors: grabbed on the host's tick, no cursor apart, one monitor */
#endif
};

static const tether_factory factory = {
    sizeof(tether_factory), TETHER_KIND_CAPTURE, FACTORY_NAME, "a moving gradient, for ABI compatibility tests", 0,
    &vtable,
#if TETHER_ABI_MINOR >= 3
    check_setting, NULL,
#endif
};

#define plugin_extension NULL
#include "abi_entry.h"
