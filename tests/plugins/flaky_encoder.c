/* An encoder that fails, as a driver's can mid-stream: with the setting
 * `fail = "once"` (or unset) it fails the picture numbered 2 (the capture's third), so
 * an encoder made again goes on; with `fail = "always"` each encoder fails
 * its third picture. Its "bitstream" is the picture's number, 8 bytes; the
 * first packet of each encoder is a keyframe. Its "device" takes 32x32 to
 * 4096x4096 (ABI 1.6 limits), fewer sizes than its table says. */
#include "test_plugin_basics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct encoder {
    const tether_host_api* host;
    int always;  /* fails its own third picture, not only picture 2 */
    unsigned encoded;
} encoder;

static int check_setting(const char* key, const char* value, tether_error* why) {
    if (strcmp(key, "fail") != 0 || (strcmp(value, "once") != 0 && strcmp(value, "always") != 0)) {
        fail(why, "fail must be \"once\" or \"always\"");
        return TETHER_ERROR;
    }
    return TETHER_OK;
}

static void* create(const tether_host_api* host, const tether_encoder_config* config, tether_error* err) {
    (void)config;
    encoder* e = calloc(1, sizeof *e);
    if (e == NULL) {
        fail(err, "out of memory");
        return NULL;
    }
    const char* mode = host->setting("flaky", "fail");
    e->host = host;
    e->always = mode != NULL && strcmp(mode, "always") == 0;
    return e;
}

static void destroy(void* self) { free(self); }

static int encode(void* self, const tether_video_frame* frame, uint32_t flags, tether_packet_sink sink, void* ctx,
                  tether_error* err) {
    encoder* e = self;
    ++e->encoded;
    if (e->always ? e->encoded == 3 : frame->frame_number == 2) {
        fail(err, "the device stopped answering");
        return TETHER_ERROR;
    }
    tether_buffer* buffer = e->host->buffer_alloc(sizeof frame->frame_number);
    if (buffer == NULL) {
        fail(err, "out of memory");
        return TETHER_ERROR;
    }
    memcpy(buffer->data, &frame->frame_number, sizeof frame->frame_number);
    const tether_packet packet = {sizeof(tether_packet),
                                  (e->encoded == 1 || (flags & TETHER_ENCODE_FORCE_KEYFRAME)) ? TETHER_PACKET_KEYFRAME : 0u,
                                  buffer, frame->frame_number, frame->capture_time_us, frame->width, frame->height};
    sink(ctx, &packet);
    e->host->buffer_unref(buffer);
    return TETHER_OK;
}

static int limits(const tether_host_api* host, tether_encoder_limits* limits, tether_error* err) {
    (void)host;
    (void)err;
    limits->min_width = limits->min_height = 32;
    limits->max_width = limits->max_height = 4096;
    return TETHER_OK;
}

static const tether_encoder_vtable vtable = {
    sizeof(tether_encoder_vtable), "flaky", TETHER_PIXEL_BIT(TETHER_PIXEL_I420) | TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA), 0,
    16384, 16384, probe, create, destroy, encode, NULL, NULL, limits, /* get_extension, reconfigure: none */
};

static const tether_factory factory = {
    sizeof(tether_factory), TETHER_KIND_ENCODER, "flaky", "an encoder that fails its third picture", 0, &vtable,
    check_setting, NULL,
};

#define plugin_extension NULL
#include "abi_entry.h"
