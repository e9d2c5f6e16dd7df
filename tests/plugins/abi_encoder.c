/* An encoder as a vendor would have written it for ABI 1.5, before encoders
 * could be changed in place. Built against the frozen 1.5 header
 * (tests/abi/1.5, never to change), it proves that every later host makes a
 * new one where it cannot change one. Built against today's header, the same
 * source offers reconfigure (ABI 1.6): a new rate in place, and a new size in
 * place unless the setting `in-place = "rates"` says it needs a new encoder.
 *
 * Its "bitstream" says what made it: the picture's number, then the size,
 * bitrate and frame rate the encoder coded it with and which encoder of the
 * process it was (sizes_record, tests/plugins/abi_encoder_record.h). An
 * encoder's first picture and one asked for are keyframes, and so is the first
 * picture after a change of size in place. */
#include "abi_encoder_record.h"
#include "test_plugin_basics.h"

#include <stdlib.h>
#include <string.h>

typedef struct encoder {
    const tether_host_api* host;
    tether_encoder_config config;
    uint32_t serial;
    int key_next;
    int sizes_in_place;
} encoder;

static uint32_t encoders_made; /* the plugin's count, for each encoder's serial */

static int check_setting(const char* key, const char* value, tether_error* why) {
    if (strcmp(key, "in-place") != 0 || (strcmp(value, "rates") != 0 && strcmp(value, "all") != 0)) {
        fail(why, "in-place must be \"rates\" or \"all\"");
        return TETHER_ERROR;
    }
    return TETHER_OK;
}

static void* create(const tether_host_api* host, const tether_encoder_config* config, tether_error* err) {
    encoder* e = calloc(1, sizeof *e);
    if (e == NULL) {
        fail(err, "out of memory");
        return NULL;
    }
    e->host = host;
    memcpy(&e->config, config, sizeof e->config < config->struct_size ? sizeof e->config : config->struct_size);
    e->serial = __atomic_add_fetch(&encoders_made, 1, __ATOMIC_RELAXED);
    e->key_next = 1;
    const char* in_place = host->setting(FACTORY_NAME, "in-place");
    e->sizes_in_place = in_place == NULL || strcmp(in_place, "all") == 0;
    return e;
}

static void destroy(void* self) { free(self); }

static int encode(void* self, const tether_video_frame* frame, uint32_t flags, tether_packet_sink sink, void* ctx,
                  tether_error* err) {
    encoder* e = self;
    if (frame->width != e->config.width || frame->height != e->config.height) {
        fail(err, "a picture of another size than the encoder's");
        return TETHER_ERROR;
    }
    tether_buffer* buffer = e->host->buffer_alloc(sizeof(sizes_record));
    if (buffer == NULL) {
        fail(err, "out of memory");
        return TETHER_ERROR;
    }
    const sizes_record record = {frame->frame_number, e->config.width, e->config.height, e->config.bitrate_kbps,
                                 e->config.fps, e->serial};
    memcpy(buffer->data, &record, sizeof record);
    const int key = e->key_next || (flags & TETHER_ENCODE_FORCE_KEYFRAME);
    e->key_next = 0;
    const tether_packet packet = {sizeof(tether_packet), key ? TETHER_PACKET_KEYFRAME : 0u, buffer,
                                  frame->frame_number, frame->capture_time_us, frame->width, frame->height};
    sink(ctx, &packet);
    e->host->buffer_unref(buffer);
    return TETHER_OK;
}

#if TETHER_ABI_MINOR >= 6
static int reconfigure(void* self, const tether_encoder_config* config, tether_error* err) {
    (void)err;
    encoder* e = self;
    const int new_size = config->width != e->config.width || config->height != e->config.height;
    if (new_size && !e->sizes_in_place) return TETHER_UNAVAILABLE;
    e->config = *config;
    if (new_size) e->key_next = 1;
    return TETHER_OK;
}
#endif

static const tether_encoder_vtable vtable = {
    sizeof(tether_encoder_vtable), "sizes", TETHER_PIXEL_BIT(TETHER_PIXEL_I420) | TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA), 0,
    16384, 16384, probe, create, destroy, encode, NULL,
#if TETHER_ABI_MINOR >= 6
    reconfigure, NULL,
#endif
};

static const tether_factory factory = {
    sizeof(tether_factory), TETHER_KIND_ENCODER, FACTORY_NAME, "an encoder whose bitstream says how it was made", 0,
    &vtable, check_setting, NULL,
};

#define plugin_extension NULL
#include "abi_entry.h"
