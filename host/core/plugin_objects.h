// C++ handles over plugin-made objects. Each keeps its plugin library loaded
// for as long as it lives, and turns ABI errors into PluginError.
#pragma once

#include "media.h"
#include "plugin_kinds.h"
#include "plugin_registry.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tether {

class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Result of a probe: ok, or why not, starting with what happened:
// "unavailable: no NVIDIA driver", "failed: ...", "crashed: Segmentation
// fault", "timed out after 5 s".
// The picture sizes an encoder takes on this machine (ABI 1.6 limits()).
struct PictureSizes {
    uint32_t min_width = 0;
    uint32_t min_height = 0;
    uint32_t max_width = 0;
    uint32_t max_height = 0;
    bool takes(uint32_t width, uint32_t height) const {
        return width >= min_width && height >= min_height && width <= max_width && height <= max_height;
    }
    std::string text() const;  // "145x49 to 4096x4096"
    bool operator==(const PictureSizes&) const = default;
};

struct ProbeResult {
    bool ok = false;
    std::string reason;
    // An encoder's, when its limits() said: this device's, which may be fewer than its table's.
    std::optional<PictureSizes> sizes;
};
// Runs the factory's probe in this process (`tether probe-plugin` does, in a child).
ProbeResult probe(const Factory& factory);

// What every handle over a plugin-made object has: its library kept loaded
// while it lives, and the object's extensions.
class PluginObject {
public:
    // ABI 1.2: an extension of this object by versioned id ("tether.encoder.roi/1"),
    // or null when the plugin offers none (always, for a plugin of an older minor).
    const void* extension(const char* id) const;

protected:
    explicit PluginObject(const Factory& factory);
    std::shared_ptr<LoadedPlugin> plugin_;
    void* object_ = nullptr;

private:
    ObjectExtensionFn extension_;
};

class CaptureSource : public PluginObject {
public:
    CaptureSource(const Factory& factory, const tether_capture_config& config);
    ~CaptureSource();
    CaptureSource(const CaptureSource&) = delete;
    CaptureSource& operator=(const CaptureSource&) = delete;
    // Nullopt when there is nothing new (the picture has not changed) or the
    // source has ended; ended() tells which.
    std::optional<VideoFrame> grab();
    bool ended() const { return ended_; }

    // ABI 1.4. True when the source says when it changes (wait()); the host
    // then grabs on a change instead of on a fixed tick.
    bool can_wait() const { return wait_ != nullptr; }
    // True when a grab now finds a change; false when `timeout` passed first.
    bool wait(std::chrono::milliseconds timeout);
    // ABI 1.4. The pointer when it changed since the last call; nullopt when it
    // did not, or the source does not report it (the cursor is then in the picture).
    struct Cursor {
        int32_t x = 0, y = 0;
        bool visible = false;
        uint64_t shape_serial = 0;
        std::optional<BufferRef> image;  // BGRA, set when the shape changed
        uint32_t width = 0, height = 0;
        int32_t hot_x = 0, hot_y = 0;
    };
    bool reports_cursor() const { return cursor_ != nullptr; }
    std::optional<Cursor> cursor();
    // ABI 1.4. The source's monitors (at most `most`); none when it does not list them.
    struct Monitor {
        tether_rect area{};
        bool primary = false;
        std::string name;
    };
    std::vector<Monitor> monitors(size_t most);

private:
    const tether_capture_vtable* vt_;
    decltype(tether_capture_vtable::wait) wait_;
    decltype(tether_capture_vtable::cursor) cursor_;
    decltype(tether_capture_vtable::monitors) monitors_;
    bool ended_ = false;
};

class Encoder : public PluginObject {
public:
    Encoder(const Factory& factory, const tether_encoder_config& config);
    ~Encoder();
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;
    void encode(const VideoFrame& frame, bool force_keyframe, const std::function<void(EncodedPacket)>& on_packet);
    const char* codec() const { return vt_->codec; }
    // ABI 1.6. Whether the encoder changes its configuration in place.
    bool can_reconfigure() const { return reconfigure_ != nullptr; }
    // Encodes the next pictures with `config`: true when applied, false when
    // this change needs a new encoder (or the plugin has no reconfigure), and
    // PluginError when the plugin refuses the configuration.
    bool reconfigure(const tether_encoder_config& config);

private:
    const tether_encoder_vtable* vt_;
    decltype(tether_encoder_vtable::reconfigure) reconfigure_;
};

class Decoder : public PluginObject {
public:
    Decoder(const Factory& factory, uint32_t threads);
    ~Decoder();
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;
    // `on_frame` sees each decoded picture; its planes are valid during the call only.
    void decode(const EncodedPacket& packet, const std::function<void(const tether_video_frame&)>& on_frame);
    const char* codec() const { return vt_->codec; }

private:
    const tether_decoder_vtable* vt_;
};

// A service (ABI 1.4 gives it each message's session and permissions; an
// older one gets the message alone and never hears of a session's end).
class Service : public PluginObject {
public:
    explicit Service(const Factory& factory);
    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;
    const std::string& name() const { return name_; }
    const std::vector<std::string>& topics() const { return topics_; }  // what it takes
    // [one at a time]
    void deliver(const std::string& topic, std::span<const uint8_t> data, uint64_t session, uint32_t permissions);
    void session_ended(uint64_t session);

private:
    const tether_service_vtable* vt_;
    std::string name_;
    std::vector<std::string> topics_;
    decltype(tether_service_vtable::on_session_message) on_session_message_;
    decltype(tether_service_vtable::on_session_end) on_session_end_;
};

class Connection;
class Listener;
class Port;

class Transport : public PluginObject, public std::enable_shared_from_this<Transport> {
public:
    static std::shared_ptr<Transport> create(const Factory& factory);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    using AcceptFn = std::function<void(std::unique_ptr<Connection>, const std::string& peer)>;
    // `on_accept` runs on a transport thread and must not block.
    std::unique_ptr<Listener> listen(const std::string& address, AcceptFn on_accept);
    std::unique_ptr<Connection> connect(const std::string& address, std::chrono::milliseconds timeout);
    // ABI 1.5: connect() from `local`, which may be a listener's port; the
    // first SYN with `first_ttl` (0: the system's). False from can_connect_from()
    // when the plugin offers no such dial.
    bool can_connect_from() const { return connect_from_ != nullptr; }
    std::unique_ptr<Connection> connect_from(const std::string& local, const std::string& address, uint32_t first_ttl,
                                             std::chrono::milliseconds timeout);
    const tether_transport_vtable& vtable() const { return *vt_; }

    // ABI 1.5. How many channels Connection::send_on takes: 1 for a transport
    // without them (or of an older minor), whose channel 0 is its send().
    uint32_t channels() const { return channels_; }
    // ABI 1.5. Whether send_on takes TETHER_SEND_UNRELIABLE.
    bool supports_unreliable() const { return send_on_ != nullptr && (vt_->flags & TETHER_TRANSPORT_UNRELIABLE) != 0; }
    // ABI 1.5. Whether it opens ports that punch (open_port below).
    bool supports_punch() const;
    // A datagram that came to a port and is not the transport's own: its sender ("ip:port") and bytes.
    using DatagramFn = std::function<void(const std::string& from, std::span<const uint8_t>)>;
    // ABI 1.5. A local UDP socket bound to `bind_address` ("0.0.0.0:0") to speak
    // to a rendezvous server through and punch from; `on_datagram` runs on a
    // transport thread and must not block. Throws PluginError when the
    // transport does not punch or the bind fails.
    std::unique_ptr<Port> open_port(const std::string& bind_address, DatagramFn on_datagram);

private:
    friend class Connection;
    friend class Listener;
    friend class Port;
    explicit Transport(const Factory& factory);
    const tether_transport_vtable* vt_;
    // ABI 1.5, null when the plugin agreed to an older minor or lacks them.
    decltype(tether_transport_vtable::connect_from) connect_from_;
    decltype(tether_transport_vtable::send_on) send_on_;
    decltype(tether_transport_vtable::open_port) open_port_;
    decltype(tether_transport_vtable::port_send) port_send_;
    decltype(tether_transport_vtable::punch) punch_;
    decltype(tether_transport_vtable::close_port) close_port_;
    decltype(tether_transport_vtable::received_bytes) received_bytes_;  // ABI 1.7
    uint32_t channels_ = 1;
};

// What a punch does (tether_punch_plan; docs/connectivity.md): the peer's
// address as the rendezvous server saw it, the method for the two NATs, this
// side's role and the token both peers were given.
struct PunchPlan {
    std::string peer_address;  // "ip:port"; PROBE_PORTS uses the IP alone
    uint32_t method = TETHER_PUNCH_DIRECT;
    uint32_t role = TETHER_PUNCH_ACCEPTOR;
    std::vector<uint8_t> token;
    std::chrono::milliseconds timeout{10'000};
    uint32_t first_ttl = 2;  // 0: the system's TTL from the first packet
    uint32_t sockets = 256;  // OPEN_SOCKETS
    uint32_t probes = 1024;  // PROBE_PORTS, at most
    uint32_t probes_per_second = 100;
};

// ABI 1.5. A transport's local socket for rendezvous traffic and punching.
class Port {
public:
    Port(std::shared_ptr<Transport> transport, const std::string& bind_address, Transport::DatagramFn on_datagram);
    ~Port();  // closes
    Port(const Port&) = delete;
    Port& operator=(const Port&) = delete;
    const std::string& address() const { return bound_address_; }  // "0.0.0.0:40123"

    // [thread-safe] One datagram to "ip:port"; throws PluginError when closed or refused.
    void send(const std::string& to, std::span<const uint8_t> bytes);
    // [thread-safe, blocking, never on a transport thread] Punches a path by
    // `plan` and opens a connection on it (start() it as any other); throws
    // PluginError with the reason on timeout, refusal or close().
    std::unique_ptr<Connection> punch(const PunchPlan& plan);
    // [thread-safe] Ends the punches in progress (they throw) and the port;
    // no on_datagram call runs once it returns. Connections it made live on.
    void close();

private:
    std::shared_ptr<Transport> transport_;
    Transport::DatagramFn on_datagram_;
    std::string bound_address_;
    // Guards object_ against a close on one thread while another sends; the
    // plugin's close_port runs outside it, since it ends punches other threads wait in.
    mutable std::mutex mutex_;
    void* object_ = nullptr;
};

class Listener {
public:
    Listener(std::shared_ptr<Transport> transport, const std::string& address, Transport::AcceptFn on_accept);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    const std::string& address() const { return bound_address_; }  // "127.0.0.1:40123"

private:
    std::shared_ptr<Transport> transport_;
    Transport::AcceptFn on_accept_;
    std::string bound_address_;
    void* object_ = nullptr;
};

class Connection {
public:
    Connection(std::shared_ptr<Transport> transport, void* object);
    ~Connection();  // closes
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    using MessageFn = std::function<void(std::span<const uint8_t>)>;
    using ClosedFn = std::function<void(const std::string& reason)>;
    // A message with the channel it came on and its TETHER_SEND_* flags.
    using ChannelMessageFn = std::function<void(uint32_t channel, uint32_t flags, std::span<const uint8_t>)>;
    // Both run on a transport thread and must not block. on_message gets the
    // reliable stream of channel 0 alone.
    void start(MessageFn on_message, ClosedFn on_closed);
    // As start(), with every channel's messages (ABI 1.5); a transport without
    // channels delivers its one stream as channel 0, reliable.
    void start_channels(ChannelMessageFn on_message, ClosedFn on_closed);
    void send(const BufferRef& message);  // throws PluginError when closed or too large
    // ABI 1.5. One message on `channel` (< the transport's channels()) with
    // TETHER_SEND_* `flags`; a transport without send_on takes channel 0,
    // reliable, as send(), and refuses anything else.
    void send_on(uint32_t channel, uint32_t flags, const BufferRef& message);
    // ABI 1.5. Whether channel 1 exists and takes TETHER_SEND_UNRELIABLE: a
    // lane where a message may be lost instead of holding up the ones after it.
    bool has_unreliable_channel() const { return transport_->supports_unreliable() && transport_->channels() >= 2; }
    size_t pending_bytes() const;
    // ABI 1.7. Bytes received so far, of a message still arriving too; nullopt from a
    // transport that counts only whole messages (an older one, or one that cannot tell).
    std::optional<uint64_t> received_bytes() const;
    // [thread-safe] Once it returns, on any thread, no callback runs: a close
    // already under way on another thread is waited for.
    void close();
    // [thread-safe] The largest message accepted from now on (at most the
    // transport's maximum): a larger one ends the connection before the
    // transport buffers it, with "message too large" as the reason.
    void set_receive_limit(uint32_t bytes);

private:
    // Marks the transport thread as inside one of this connection's callbacks.
    struct CallbackScope {
        explicit CallbackScope(Connection& connection);
        ~CallbackScope();
        Connection& connection_;
        const std::thread::id outer_;
    };
    void begin(ClosedFn on_closed, bool with_channels);
    // False, and the connection closing, when a message is over the receive limit.
    bool accepts(size_t size);  // transport thread
    void refuse_oversized(size_t size);  // transport thread

    std::shared_ptr<Transport> transport_;
    // Guards object_ against a close on one thread while another sends; the
    // plugin's close runs outside it, since it waits for running callbacks.
    mutable std::mutex mutex_;
    void* object_;
    MessageFn on_message_;
    ChannelMessageFn on_channel_message_;
    ClosedFn on_closed_;
    std::condition_variable closed_;
    bool closing_ = false;  // the plugin's close is running on some thread
    std::atomic<std::thread::id> in_callback_{};
    std::atomic<uint32_t> receive_limit_;
    std::string refusal_;  // why this side closed, reported instead of "closed locally"
};

}  // namespace tether
