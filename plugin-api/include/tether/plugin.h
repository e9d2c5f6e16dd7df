/*
 * Tether plugin ABI — the only contract between the host and a plugin.
 *
 * Rules that keep it stable (see docs/plugin-abi.md):
 *  - Plain C only: no C++ types, exceptions or allocator ownership cross it.
 *  - Every struct starts with `struct_size`; structs only ever grow at the end.
 *    A reader checks `offsetof(field) + sizeof(field) <= struct_size` before
 *    touching a field added after version 1.0 (TETHER_HAS_FIELD).
 *  - A plugin exports exactly one symbol, `tether_plugin_entry`. Its first two
 *    fields (`struct_size`, `abi_version`) never move.
 *  - ABI major changes break compatibility; minor changes only append.
 *  - Each struct's size in 1.0 is frozen below (TETHER_<STRUCT>_SIZE_1_0): the
 *    host requires that much and reads a later field only when the agreed
 *    minor version defines it and `struct_size` holds it.
 *  - A function added in a minor version is optional: NULL means "not
 *    offered", and the caller falls back to what 1.0 did.
 *  - Larger optional features are extensions fetched by a versioned string id
 *    ("tether.encoder.roi/1"): plugin-wide from the descriptor, per object from
 *    a vtable's get_extension (ABI 1.2); NULL means unsupported.
 *
 * Thread tags on each function say where the host may call it:
 *   [main-thread]     the host's loader thread (load, negotiate, init, get_factory, deinit)
 *   [thread-safe]     any thread, concurrently
 *   [any-thread]      any thread, one call at a time for the same object
 *   [encoder-thread]  the thread that called encode() on that encoder, during the call
 *   [decoder-thread]  the thread that called decode() on that decoder, during the call
 *   [plugin-thread]   a thread the plugin owns (callbacks into the host)
 * An object's destroy is called once, after every other call on it has
 * returned, and nothing is called on it afterwards (docs/plugin-abi.md gives
 * each kind's lifecycle).
 */
#ifndef TETHER_PLUGIN_H
#define TETHER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TETHER_ABI_MAJOR 1u
#define TETHER_ABI_MINOR 7u
#define TETHER_ABI_VERSION(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))
#define TETHER_ABI_CURRENT TETHER_ABI_VERSION(TETHER_ABI_MAJOR, TETHER_ABI_MINOR)
#define TETHER_ABI_MAJOR_OF(v) ((uint32_t)(v) >> 16)
#define TETHER_ABI_MINOR_OF(v) ((uint32_t)(v)&0xffffu)

/* True when a struct of the given size contains `field` in full. */
#define TETHER_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* The size of `type` up to and including `field`: how the 1.0 sizes are frozen. */
#define TETHER_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type*)0)->field))

#if defined(_WIN32)
#define TETHER_EXPORT __declspec(dllexport)
#else
#define TETHER_EXPORT __attribute__((visibility("default")))
#endif

/* Status codes returned across the ABI. */
enum {
    TETHER_OK = 0,
    TETHER_ERROR = -1,       /* failed; the error buffer says why */
    TETHER_UNAVAILABLE = -2, /* cannot run here (probe): missing hardware, driver, library */
    TETHER_END = -3,         /* a source has no more data */
    TETHER_AGAIN = -4,       /* nothing now, try later */
};

typedef enum tether_kind {
    TETHER_KIND_CAPTURE = 1,
    TETHER_KIND_ENCODER = 2,
    TETHER_KIND_DECODER = 3,
    TETHER_KIND_TRANSPORT = 4,
    TETHER_KIND_SERVICE = 5,
} tether_kind;

typedef enum tether_log_level {
    TETHER_LOG_TRACE = 0,
    TETHER_LOG_DEBUG = 1,
    TETHER_LOG_INFO = 2,
    TETHER_LOG_WARN = 3,
    TETHER_LOG_ERROR = 4,
} tether_log_level;

/* ---- host-owned buffers ------------------------------------------------
 * Reference counted and owned by the host. Whoever holds a pointer holds one
 * reference and gives it back with `buffer_unref`. `data` and `capacity`
 * never change; the producer sets `size` before publishing, after which the
 * buffer is read-only for everyone. Buffers cross the ABI without copies. */
typedef struct tether_buffer {
    uint8_t* data;
    size_t size;
    size_t capacity;
} tether_buffer;

typedef enum tether_pixel_format {
    TETHER_PIXEL_I420 = 1, /* 8-bit 4:2:0 planar, BT.601 limited range */
    TETHER_PIXEL_BGRA = 2, /* 8-bit packed, as X11 and most capturers deliver */
} tether_pixel_format;
#define TETHER_PIXEL_BIT(fmt) (1u << (fmt))

/* ABI 1.4. A rectangle of a picture or a screen, in pixels. */
typedef struct tether_rect {
    int32_t x;
    int32_t y;
    uint32_t width;
    uint32_t height;
} tether_rect;

/* ABI 1.4. What a session may do, as its host granted at login. */
enum {
    TETHER_PERMISSION_VIEW = 1u << 0,
    TETHER_PERMISSION_INPUT = 1u << 1,
    TETHER_PERMISSION_CLIPBOARD = 1u << 2,
    TETHER_PERMISSION_FILES = 1u << 3,
    TETHER_PERMISSION_AUDIO = 1u << 4,
    TETHER_PERMISSION_TUNNEL = 1u << 5,
};

/* A picture. `planes` point into `buffer` when the frame is owned; a decoder's
 * output may leave `buffer` NULL, in which case the planes are only valid
 * during the callback that received the frame. */
typedef struct tether_video_frame {
    uint32_t struct_size;
    uint32_t format; /* tether_pixel_format */
    uint32_t width;
    uint32_t height;
    uint8_t* planes[4];
    uint32_t strides[4];
    tether_buffer* buffer;
    uint64_t frame_number;
    int64_t capture_time_us; /* CLOCK_REALTIME microseconds at capture */
    /* ABI 1.4. The parts that changed since the previous picture this
     * capture gave, valid until its next grab; NULL (or a frame whose
     * struct_size lacks them): the whole picture may have changed. The host
     * sets struct_size; a capture writes these only when it holds them. */
    const tether_rect* damage;
    uint32_t damage_count;
} tether_video_frame;
#define TETHER_VIDEO_FRAME_SIZE_1_0 TETHER_SIZE_THROUGH(tether_video_frame, capture_time_us)

enum { TETHER_PACKET_KEYFRAME = 1u << 0 };

/* One encoded picture. `buffer` holds exactly the bitstream (`buffer->size`). */
typedef struct tether_packet {
    uint32_t struct_size;
    uint32_t flags; /* TETHER_PACKET_* */
    tether_buffer* buffer;
    uint64_t frame_number;
    int64_t capture_time_us;
    uint32_t width;
    uint32_t height;
} tether_packet;
#define TETHER_PACKET_SIZE_1_0 TETHER_SIZE_THROUGH(tether_packet, height)

/* Every plugin function that can fail writes a one-line reason into a
 * caller-provided buffer of this shape. */
typedef struct tether_error {
    char* text;
    size_t capacity;
} tether_error;

struct tether_service_message;

/* ---- what the host offers every plugin --------------------------------- */
typedef struct tether_host_api {
    uint32_t struct_size;
    uint32_t abi_version; /* the version agreed in negotiate() */
    /* [thread-safe] */
    void (*log)(tether_log_level level, const char* plugin, const char* message);
    /* [thread-safe] a new buffer with one reference, `size` == `capacity`. NULL when out of memory. */
    tether_buffer* (*buffer_alloc)(size_t capacity);
    void (*buffer_ref)(tether_buffer* buffer);   /* [thread-safe] */
    void (*buffer_unref)(tether_buffer* buffer); /* [thread-safe] */
    int64_t (*now_us)(void);                     /* [thread-safe] CLOCK_REALTIME microseconds */
    /* ABI 1.3. [thread-safe] The value of `key` in the configuration's
     * `[plugins.<factory>]` table as text (a string as written; a number or
     * boolean as TOML writes it), already accepted by that factory's
     * check_setting; NULL when unset. The text stays valid while the plugin is loaded. */
    const char* (*setting)(const char* factory, const char* key);
    /* ABI 1.4. [thread-safe] A service publishes a message (tether_service_message):
     * the host copies it before returning and sends it on to the sessions the
     * topic is for, each only with the permission the topic needs. TETHER_ERROR
     * with the reason for a topic it does not know or a message over its limit. */
    int (*publish)(const struct tether_service_message* message, tether_error* err);
} tether_host_api;
#define TETHER_HOST_API_SIZE_1_0 TETHER_SIZE_THROUGH(tether_host_api, now_us)

/* ---- capture ------------------------------------------------------------ */
typedef struct tether_capture_config {
    uint32_t struct_size;
    uint32_t width;     /* 0: the source's own size */
    uint32_t height;
    uint32_t fps;
    const char* source; /* plugin-specific: display name, file path; may be NULL */
    /* ABI 1.4. 0: the whole screen; n: the n-th monitor that monitors() lists. */
    uint32_t monitor;
} tether_capture_config;
#define TETHER_CAPTURE_CONFIG_SIZE_1_0 TETHER_SIZE_THROUGH(tether_capture_config, source)

struct tether_cursor;
struct tether_monitor;

typedef struct tether_capture_vtable {
    uint32_t struct_size;
    uint32_t formats; /* TETHER_PIXEL_BIT mask of what grab() delivers */
    /* [main-thread] TETHER_OK or TETHER_UNAVAILABLE with the reason. */
    int (*probe)(const tether_host_api* host, tether_error* why);
    /* [thread-safe] NULL on failure, with the reason. */
    void* (*create)(const tether_host_api* host, const tether_capture_config* config, tether_error* err);
    void (*destroy)(void* capture); /* [any-thread] */
    /* [any-thread] Fill `frame` (buffer owned by the caller afterwards).
     * TETHER_OK; TETHER_AGAIN when nothing changed since the last picture (no
     * frame, nothing to encode); TETHER_END when a finite source is exhausted;
     * TETHER_ERROR. A picture may come at another size than the last one: the
     * host encodes it at its own size. */
    int (*grab)(void* capture, tether_video_frame* frame, tether_error* err);
    /* ABI 1.2, optional. [any-thread] An extension of this object by versioned id, NULL if unsupported. */
    const void* (*get_extension)(void* capture, const char* id);
    /* ABI 1.4, optional. [any-thread] Block until the source has changed since the
     * last grab or `timeout_ms` passed: TETHER_OK (a grab now finds a change),
     * TETHER_AGAIN (nothing yet), TETHER_ERROR. NULL: the host grabs on a fixed tick. */
    int (*wait)(void* capture, uint32_t timeout_ms, tether_error* err);
    /* ABI 1.4, optional. [any-thread] The pointer (tether_cursor): TETHER_OK when its
     * position, visibility or shape changed since the last call, TETHER_AGAIN
     * when not, TETHER_ERROR. NULL: the cursor is in the picture, if anywhere. */
    int (*cursor)(void* capture, struct tether_cursor* cursor, tether_error* err);
    /* ABI 1.4, optional. [any-thread] The source's monitors, at most `capacity` of them
     * into `monitors` (tether_monitor, struct_size set by the caller); `count` gets
     * how many there are. NULL: one monitor, the whole picture. */
    int (*monitors)(void* capture, struct tether_monitor* monitors, uint32_t capacity, uint32_t* count,
                    tether_error* err);
} tether_capture_vtable;

/* ABI 1.4. The pointer as a capture sees it. */
typedef struct tether_cursor {
    uint32_t struct_size;
    int32_t x; /* the hot spot, in the captured picture's pixels */
    int32_t y;
    uint32_t visible;
    uint64_t shape_serial; /* changes with the shape */
    /* Set only when the shape changed since the last call: BGRA, straight
     * alpha, width*4 bytes a row; the caller owns the reference. */
    tether_buffer* image;
    uint32_t width;
    uint32_t height;
    int32_t hot_x;
    int32_t hot_y;
} tether_cursor;

/* ABI 1.4. One monitor of a capture source. */
typedef struct tether_monitor {
    uint32_t struct_size;
    tether_rect area; /* in the whole screen's pixels */
    uint32_t primary;
    char name[32]; /* "DP-1"; NUL-terminated */
} tether_monitor;
#define TETHER_CAPTURE_VTABLE_SIZE_1_0 TETHER_SIZE_THROUGH(tether_capture_vtable, grab)

/* ---- encoder ------------------------------------------------------------ */
enum { TETHER_CODEC_HARDWARE = 1u << 0 };
enum { TETHER_ENCODE_FORCE_KEYFRAME = 1u << 0 };

typedef struct tether_encoder_config {
    uint32_t struct_size;
    uint32_t width;
    uint32_t height;
    uint32_t fps;
    uint32_t bitrate_kbps; /* 0: the encoder's default for the size */
    uint32_t threads;      /* 0: the encoder decides */
    int32_t speed;         /* encoder-specific speed preset; -1: default */
} tether_encoder_config;
#define TETHER_ENCODER_CONFIG_SIZE_1_0 TETHER_SIZE_THROUGH(tether_encoder_config, speed)

/* ABI 1.6. The picture sizes an encoder takes on this machine. */
typedef struct tether_encoder_limits {
    uint32_t struct_size;
    uint32_t min_width;
    uint32_t min_height;
    uint32_t max_width;
    uint32_t max_height;
} tether_encoder_limits;

/* [encoder-thread] Called for each packet; the packet's buffer reference stays
 * with the encoder: call buffer_ref to keep it. */
typedef void (*tether_packet_sink)(void* ctx, const tether_packet* packet);

typedef struct tether_encoder_vtable {
    uint32_t struct_size;
    const char* codec; /* "vp8", "vp9", "av1", "h264" */
    uint32_t formats;  /* accepted TETHER_PIXEL_BIT mask */
    uint32_t flags;    /* TETHER_CODEC_* */
    uint32_t max_width;
    uint32_t max_height;
    int (*probe)(const tether_host_api* host, tether_error* why); /* [main-thread] */
    /* [thread-safe] NULL on failure, with the reason. */
    void* (*create)(const tether_host_api* host, const tether_encoder_config* config, tether_error* err);
    void (*destroy)(void* encoder); /* [any-thread] */
    /* [any-thread] Encode one frame, calling `sink` for each packet on this thread, before returning. */
    int (*encode)(void* encoder, const tether_video_frame* frame, uint32_t flags, tether_packet_sink sink,
                  void* ctx, tether_error* err);
    /* ABI 1.2, optional. [any-thread] An extension of this object by versioned id, NULL if unsupported. */
    const void* (*get_extension)(void* encoder, const char* id);
    /* ABI 1.6, optional. [any-thread] Encode the next pictures with `config`
     * (a whole config, as create took it): a new bitrate or frame rate takes
     * effect from the next picture without a keyframe; a new size makes the
     * next picture a keyframe of that size. TETHER_OK when applied;
     * TETHER_UNAVAILABLE when this change needs a new encoder (the host then
     * makes one, and this one carries on as before until it does); TETHER_ERROR.
     * NULL: the host makes a new encoder for a new size, and for a new rate
     * only now and then (docs/plugin-abi.md). */
    int (*reconfigure)(void* encoder, const tether_encoder_config* config, tether_error* err);
    /* ABI 1.6, optional. [main-thread] Called in the probe's process after
     * probe() said TETHER_OK: the sizes this machine's device encodes (a
     * hardware encoder's limits differ by device). The host keeps them with
     * the probe's answer and never asks this encoder for a size outside them.
     * NULL: from 16x16 to max_width x max_height. */
    int (*limits)(const tether_host_api* host, tether_encoder_limits* limits, tether_error* err);
} tether_encoder_vtable;
#define TETHER_ENCODER_VTABLE_SIZE_1_0 TETHER_SIZE_THROUGH(tether_encoder_vtable, encode)

/* ---- decoder ------------------------------------------------------------ */
/* [decoder-thread] Called for each decoded picture; planes valid during the call only. */
typedef void (*tether_frame_sink)(void* ctx, const tether_video_frame* frame);

typedef struct tether_decoder_vtable {
    uint32_t struct_size;
    const char* codec;
    uint32_t formats; /* TETHER_PIXEL_BIT mask of what it outputs */
    uint32_t flags;   /* TETHER_CODEC_* */
    int (*probe)(const tether_host_api* host, tether_error* why); /* [main-thread] */
    /* [thread-safe] NULL on failure, with the reason. */
    void* (*create)(const tether_host_api* host, uint32_t threads, tether_error* err);
    void (*destroy)(void* decoder); /* [any-thread] */
    /* [any-thread] Decode one packet, calling `sink` for each picture on this thread, before
     * returning; `meta` carries frame number and times through. */
    int (*decode)(void* decoder, const uint8_t* data, size_t size, const tether_packet* meta,
                  tether_frame_sink sink, void* ctx, tether_error* err);
    /* ABI 1.2, optional. [any-thread] An extension of this object by versioned id, NULL if unsupported. */
    const void* (*get_extension)(void* decoder, const char* id);
} tether_decoder_vtable;
#define TETHER_DECODER_VTABLE_SIZE_1_0 TETHER_SIZE_THROUGH(tether_decoder_vtable, decode)

/* ---- transport -----------------------------------------------------------
 * Message-oriented: a transport delivers whole messages, in order, each at
 * most `max_message_size` bytes, and frames them on the wire itself. */
enum {
    TETHER_TRANSPORT_RELIABLE = 1u << 0,
    TETHER_TRANSPORT_ORDERED = 1u << 1,
    TETHER_TRANSPORT_NAT_TRAVERSAL = 1u << 2,
    TETHER_TRANSPORT_NEEDS_RENDEZVOUS = 1u << 3,
    TETHER_TRANSPORT_UNRELIABLE = 1u << 4, /* ABI 1.5: send_on takes TETHER_SEND_UNRELIABLE */
    TETHER_TRANSPORT_PUNCH = 1u << 5,      /* ABI 1.5: open_port, port_send, punch, close_port */
};

/* ABI 1.5. How send_on sends one message. */
enum {
    /* May be lost or arrive out of order, never duplicated or altered; on
     * the channel's own sequence, so a loss holds up nothing else. */
    TETHER_SEND_UNRELIABLE = 1u << 0,
};

typedef struct tether_connection_callbacks {
    uint32_t struct_size;
    void* ctx;
    /* [plugin-thread] One whole message; valid during the call. Must not block. */
    void (*on_message)(void* ctx, const uint8_t* data, size_t size);
    /* [plugin-thread] Exactly once, after which no callback runs. reason: "closed by peer", ... */
    void (*on_closed)(void* ctx, const char* reason);
    /* ABI 1.1. [plugin-thread] The largest message the host accepts now; it
     * changes as a session moves on (a few KiB before login). The transport
     * asks before it buffers a message and ends the connection, without
     * allocating, when one announces more. NULL: the transport's own maximum. */
    uint32_t (*max_message_size)(void* ctx);
    /* ABI 1.5, optional. [plugin-thread] A message with the channel it came on
     * and its TETHER_SEND_* flags; valid during the call. When set, every
     * message comes here and none to on_message. Channel 0 reliable is the
     * stream on_message would have had; without this callback that stream
     * alone is delivered and other channels' messages are dropped. */
    void (*on_channel_message)(void* ctx, uint32_t channel, uint32_t flags, const uint8_t* data, size_t size);
} tether_connection_callbacks;
#define TETHER_CONNECTION_CALLBACKS_SIZE_1_0 TETHER_SIZE_THROUGH(tether_connection_callbacks, on_closed)

/* ---- hole punching (ABI 1.5) ----------------------------------------------
 * A port is a local socket the host speaks to the rendezvous server through
 * (it learns its public mapping there: a new socket would get a new one) and
 * punches from. Datagrams on it that are not the transport's own go to
 * on_datagram; the host writes its rendezvous messages with port_send. */

/* [plugin-thread] A datagram the transport does not own; valid during the call. Must not block. */
typedef void (*tether_datagram_fn)(void* ctx, const char* from_address, const uint8_t* data, size_t size);

typedef struct tether_port_config {
    uint32_t struct_size;
    const char* bind_address; /* "0.0.0.0:0" */
    tether_datagram_fn on_datagram;
    void* ctx;
} tether_port_config;

/* What each side does, from how its own NAT and the peer's map (docs/connectivity.md). */
enum {
    /* Both mappings are known: punch to the peer's address. */
    TETHER_PUNCH_DIRECT = 0,
    /* This side maps one address for every destination and the peer's NAT a
     * new one per destination: probe random ports of the peer's address. */
    TETHER_PUNCH_PROBE_PORTS = 1,
    /* This side's NAT maps a new port per destination: open many sockets
     * toward the peer's address, which probes them. */
    TETHER_PUNCH_OPEN_SOCKETS = 2,
};
enum {
    TETHER_PUNCH_ACCEPTOR = 0, /* the host: answers */
    TETHER_PUNCH_DIALER = 1,   /* the viewer: opens the connection once a path answers */
};

#define TETHER_PUNCH_TOKEN_SIZE 16u

typedef struct tether_punch_plan {
    uint32_t struct_size;
    const char* peer_address; /* "ip:port"; the port is ignored by PROBE_PORTS */
    uint32_t method;          /* TETHER_PUNCH_* method */
    uint32_t role;            /* TETHER_PUNCH_ACCEPTOR or _DIALER */
    /* Both peers' shared secret from the rendezvous server: punch packets
     * without it are ignored, so a stranger cannot take the path. */
    const uint8_t* token;
    size_t token_size; /* TETHER_PUNCH_TOKEN_SIZE */
    uint32_t timeout_ms;
    /* The first packets' TTL, so they open this side's mapping without
     * reaching the peer's NAT (0: the system's); later ones go with the
     * system's, except OPEN_SOCKETS's, which only keep this side's mappings
     * open and would spoil the ports the peer probes from if they arrived. */
    uint32_t first_ttl;
    uint32_t sockets;          /* OPEN_SOCKETS: how many (256) */
    uint32_t probes;           /* PROBE_PORTS: at most this many (1024) */
    uint32_t probes_per_second; /* PROBE_PORTS: at most (100) */
} tether_punch_plan;

/* [plugin-thread] A new inbound connection; call start() on it, or close(). */
typedef void (*tether_accept_fn)(void* ctx, void* connection, const char* peer_address);

typedef struct tether_transport_vtable {
    uint32_t struct_size;
    const char* scheme; /* the address prefix it serves: "tcp" */
    uint32_t flags;     /* TETHER_TRANSPORT_* */
    uint32_t max_message_size;
    int (*probe)(const tether_host_api* host, tether_error* why); /* [main-thread] */
    /* [thread-safe] A transport instance with its own network threads. */
    void* (*create)(const tether_host_api* host, tether_error* err);
    /* [any-thread, never on a plugin thread] Closes every listener and connection, joins its threads. */
    void (*destroy)(void* transport);
    /* [thread-safe] Listen on "host:port" (port 0: any); writes the bound address. */
    void* (*listen)(void* transport, const char* address, tether_accept_fn on_accept, void* ctx,
                    char* bound_address, size_t bound_capacity, tether_error* err);
    void (*close_listener)(void* listener); /* [thread-safe] no accept callback runs after it returns */
    /* [thread-safe, blocking, never on a plugin thread] */
    void* (*connect)(void* transport, const char* address, uint32_t timeout_ms, tether_error* err);
    /* [thread-safe] Begin delivering messages to `callbacks` (copied). */
    void (*start)(void* connection, const tether_connection_callbacks* callbacks);
    /* [thread-safe] Queue one message; the transport takes its own buffer reference.
     * TETHER_ERROR when closed or the message is too large. */
    int (*send)(void* connection, tether_buffer* message, tether_error* err);
    /* [thread-safe] Bytes sent but not yet taken by the peer, as far as the
     * transport can tell: queued, and held unacknowledged by the kernel. */
    size_t (*pending_bytes)(void* connection);
    /* [thread-safe] Close and free the connection; once it returns no callback of
     * it runs (on_closed runs before, if it had not yet). Callable from its callbacks.
     * Messages sent before it still go out, for a bounded time (a goodbye must
     * not be lost to the close that follows it); it does not wait for them. */
    void (*close)(void* connection);
    /* ABI 1.2, optional. [thread-safe] An extension of the transport instance by versioned id, NULL if unsupported. */
    const void* (*get_extension)(void* transport, const char* id);
    /* ABI 1.5, optional (TETHER_TRANSPORT_UNRELIABLE). [thread-safe] Queue one
     * message on `channel` (< channels) with TETHER_SEND_* `flags`. */
    int (*send_on)(void* connection, uint32_t channel, uint32_t flags, tether_buffer* message, tether_error* err);
    uint32_t channels; /* ABI 1.5: how many send_on takes; 0 or 1: channel 0 only */
    /* ABI 1.5, optional (TETHER_TRANSPORT_PUNCH). [thread-safe] A local socket
     * bound to config->bind_address; writes the bound address. */
    void* (*open_port)(void* transport, const tether_port_config* config, char* bound_address, size_t bound_capacity,
                       tether_error* err);
    /* [thread-safe] One datagram from the port to "ip:port". */
    int (*port_send)(void* port, const char* address, const uint8_t* data, size_t size, tether_error* err);
    /* [thread-safe, blocking, never on a plugin thread] Punch a path to the
     * peer by `plan` and open a connection on it (start() it as any other);
     * NULL with the reason on timeout, refusal or close_port. Punches with
     * different tokens may run on one port at once; on_datagram keeps working. */
    void* (*punch)(void* port, const tether_punch_plan* plan, tether_error* err);
    /* [thread-safe] Ends the punches in progress (they return NULL, "port
     * closed") and frees the port; connections it made live on. No
     * on_datagram call runs after it returns, and the host calls nothing on
     * the port afterwards. */
    void (*close_port)(void* port);
    /* ABI 1.5, optional. [thread-safe, blocking, never on a plugin thread]
     * connect() from `local_address`, which may be a listener's own port: when
     * both peers dial each other from their listening ports at once, the
     * connection opens through port-preserving NATs (a simultaneous open).
     * `first_ttl` as in tether_punch_plan. */
    void* (*connect_from)(void* transport, const char* local_address, const char* address, uint32_t first_ttl,
                          uint32_t timeout_ms, tether_error* err);
    /* ABI 1.7, optional. [thread-safe] Bytes the connection has received so
     * far, those of a message still arriving included: a peer that has had no
     * whole message for a while learns that one is on its way (a big picture
     * on a thin path) and that the path is not dead. */
    uint64_t (*received_bytes)(void* connection);
} tether_transport_vtable;
#define TETHER_TRANSPORT_VTABLE_SIZE_1_0 TETHER_SIZE_THROUGH(tether_transport_vtable, close)

/* ---- service ------------------------------------------------------------
 * A service takes and sends messages on topics. ABI 1.4 gives each message
 * its session and that session's permissions; the host already checked the
 * permission a topic needs, and a service may check again. Topics and their
 * payloads (docs/plugin-abi.md):
 *   "input"             viewer -> services  tether_input_event
 *   "clipboard"         both ways           UTF-8 text of the CLIPBOARD selection
 *   "clipboard.primary" both ways           UTF-8 text of the PRIMARY selection
 */
typedef struct tether_service_message {
    uint32_t struct_size;
    const char* topic;
    const uint8_t* data;
    size_t size;
    uint64_t session;     /* the session it comes from or goes to; 0: every session */
    uint32_t permissions; /* TETHER_PERMISSION_* of that session (to a service) */
} tether_service_message;
#define TETHER_SERVICE_MESSAGE_SIZE_1_4 TETHER_SIZE_THROUGH(tether_service_message, permissions)

enum {
    TETHER_INPUT_POINTER = 1, /* x, y, buttons, wheel_x, wheel_y */
    TETHER_INPUT_KEY = 2,     /* keysym, down */
};
/* Pointer buttons held, as bits. */
enum {
    TETHER_BUTTON_LEFT = 1u << 0,
    TETHER_BUTTON_MIDDLE = 1u << 1,
    TETHER_BUTTON_RIGHT = 1u << 2,
    TETHER_BUTTON_BACK = 1u << 3,
    TETHER_BUTTON_FORWARD = 1u << 4,
};

/* ABI 1.4. The payload of "input". */
typedef struct tether_input_event {
    uint32_t struct_size;
    uint32_t type;    /* TETHER_INPUT_* */
    int32_t x;        /* pointer: the host screen's pixels */
    int32_t y;
    uint32_t buttons; /* TETHER_BUTTON_* held after this event */
    int32_t wheel_x;  /* wheel notches: right is positive */
    int32_t wheel_y;  /* down is positive */
    uint32_t keysym;  /* key: an X11 keysym, whatever the host's layout */
    uint32_t down;
} tether_input_event;

typedef struct tether_service_vtable {
    uint32_t struct_size;
    int (*probe)(const tether_host_api* host, tether_error* why); /* [main-thread] */
    /* [thread-safe] NULL on failure, with the reason. */
    void* (*create)(const tether_host_api* host, tether_error* err);
    void (*destroy)(void* service); /* [any-thread] */
    /* [any-thread] A message on a topic the service named in `topics`. */
    void (*on_message)(void* service, const char* topic, const uint8_t* data, size_t size);
    const char* const* topics; /* NULL-terminated list the host subscribes it to */
    /* ABI 1.2, optional. [any-thread] An extension of this object by versioned id, NULL if unsupported. */
    const void* (*get_extension)(void* service, const char* id);
    /* ABI 1.4, optional. [any-thread] A message with its session; called instead
     * of on_message when set. */
    void (*on_session_message)(void* service, const tether_service_message* message);
    /* ABI 1.4, optional. [any-thread] A session ended: let go of what it held
     * (keys and buttons down). No message of it follows. */
    void (*on_session_end)(void* service, uint64_t session);
} tether_service_vtable;
#define TETHER_SERVICE_VTABLE_SIZE_1_0 TETHER_SIZE_THROUGH(tether_service_vtable, topics)

/* ---- plugin descriptor ---------------------------------------------------- */
typedef struct tether_factory {
    uint32_t struct_size;
    uint32_t kind;           /* tether_kind */
    const char* name;        /* unique, used in configuration: "vpx-vp9" */
    const char* description;
    int32_t rank;            /* higher is preferred among equals; hardware > software */
    const void* vtable;      /* tether_<kind>_vtable */
    /* ABI 1.3, optional. [main-thread] Checks one `[plugins.<name>]` setting
     * before anything is created: TETHER_OK, or TETHER_ERROR saying what a
     * valid value is ("must be 0 to 3"). NULL: the factory takes no settings. */
    int (*check_setting)(const char* key, const char* value, tether_error* why);
    /* ABI 1.3, optional. What probe()'s answer depends on besides the plugin
     * file, NULL-terminated: files the host reads (a driver's version file),
     * device nodes or folders whose identity it notes, and (ABI 1.4)
     * environment variables as "$NAME", whose value it notes. The host keeps a
     * probe's answer until the plugin file or one of these changes. NULL:
     * only the plugin file. Data, not code: no plugin code runs to check it. */
    const char* const* probe_inputs;
} tether_factory;
#define TETHER_FACTORY_SIZE_1_0 TETHER_SIZE_THROUGH(tether_factory, vtable)

typedef struct tether_plugin_descriptor {
    uint32_t struct_size;
    uint32_t abi_version; /* the highest ABI version the plugin speaks */
    const char* name;
    const char* version;
    const char* description;
    /* [main-thread] First call. The host offers its ABI version; the plugin returns
     * the version both will speak (same major, minor <= both), or 0 to refuse. */
    uint32_t (*negotiate)(uint32_t host_abi_version);
    /* [main-thread] After negotiate. The pointer stays valid until deinit. */
    int (*init)(const tether_host_api* host, tether_error* err);
    void (*deinit)(void); /* [main-thread] once, when the host no longer uses the plugin */
    /* [main-thread] factories by index, NULL past the end */
    const tether_factory* (*get_factory)(uint32_t index);
    /* [thread-safe] plugin-wide extensions by versioned id, NULL if unsupported */
    const void* (*get_extension)(const char* id);
} tether_plugin_descriptor;
#define TETHER_PLUGIN_DESCRIPTOR_SIZE_1_0 TETHER_SIZE_THROUGH(tether_plugin_descriptor, get_extension)

#define TETHER_ENTRY_SYMBOL "tether_plugin_entry"
typedef const tether_plugin_descriptor* (*tether_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* TETHER_PLUGIN_H */
