// An end-to-end encrypted, authenticated channel over any transport
// connection. Nothing but the two handshake messages is ever sent in the
// clear, and there is no way to turn encryption off: a failed handshake, a
// refused key, or any bad record ends the channel with the reason.
#pragma once

#include "core/mailbox.h"
#include "core/plugin_objects.h"
#include "handshake.h"
#include "unreliable_record.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

namespace tether::net {

struct ChannelOptions {
    std::vector<Cipher> ciphers = supported_ciphers();
    std::chrono::milliseconds handshake_timeout{10'000};
    // Benchmarks only: after a real handshake, records carry plaintext. Both
    // ends must set it, so it only works with both in one process (`tether
    // bench crypto`); no command or configuration key sets it.
    bool debug_plaintext_records = false;
};

// One message each way in the clear before the handshake, for a relay that
// pairs two connections by what they present (docs/rendezvous.md): `hello`
// goes first, and the first message back goes to `check`, which throws
// HandshakeError to refuse. Neither carries a secret; the handshake that
// follows authenticates the host as on any other path.
struct Preface {
    BufferRef hello;
    std::function<void(std::span<const uint8_t> answer)> check;
};

// Where a message travels. Control: channel 0, reliable and in order with
// every other Control message, the only lane of TCP and WebSocket. The media
// lane is the connection's channel 1 where it has one that may lose messages
// (transport-udp): its records are unreliable records (unreliable_record.h),
// in order among themselves, a refused one dropped and counted, never fatal.
// MediaDroppable may be lost, Media is retransmitted until it arrives.
// Without a media lane both go as Control.
enum class Lane { Control, Media, MediaDroppable };

class SecureChannel {
public:
    using MessageFn = std::function<void(std::span<const uint8_t>)>;
    using ClosedFn = std::function<void(const std::string& reason)>;
    // Decides whether the host's identity is acceptable; throws HandshakeError to refuse.
    using HostCheck = std::function<void(const std::string& peer_id, const security::PublicKey& key)>;

    using HelloFn = std::function<void(BufferRef client_hello)>;

    // The host's side, and nothing in it blocks: once listen() is called,
    // the viewer's hello goes to `on_hello` on the transport thread, which
    // must not do the handshake's work itself but hand it to a worker that
    // calls respond(). Records then go to `on_message`; `on_closed` runs
    // once, with the reason.
    static std::unique_ptr<SecureChannel> serve(std::unique_ptr<Connection> connection, HelloFn on_hello,
                                                MessageFn on_message, ClosedFn on_closed,
                                                std::optional<Preface> preface = std::nullopt);
    // Starts serve()'s channel: apart, so that its owner holds it before the
    // worker the hello goes to can call respond() on it.
    void listen();
    // The host's answer to the hello, on any thread: the HostHello, or a
    // rejection sent to the viewer and thrown as HandshakeError.
    void respond(const security::Identity& identity, const BufferRef& client_hello, const ChannelOptions& options = {});

    // The viewer's side: blocks until the host answers. `check` runs before
    // anything but the hello was sent.
    static std::unique_ptr<SecureChannel> connect(std::unique_ptr<Connection> connection, const HostCheck& check,
                                                  const ChannelOptions& options = {},
                                                  const std::optional<Preface>& preface = std::nullopt);
    ~SecureChannel();
    SecureChannel(const SecureChannel&) = delete;
    SecureChannel& operator=(const SecureChannel&) = delete;

    // Delivers every message that arrived since the handshake, then each new
    // one, on a transport thread. `on_closed` runs once, with the reason.
    void start(MessageFn on_message, ClosedFn on_closed);
    // [thread-safe] throws PluginError once closed
    void send(std::span<const uint8_t> plaintext, Lane lane = Lane::Control);
    bool has_media_lane() const { return media_lane_; }
    uint64_t media_records_dropped() const;  // [thread-safe] refused on the media lane: lost to forgery, replay or age
    void close(const std::string& reason);           // [thread-safe]
    size_t pending_bytes() const { return connection_->pending_bytes(); }
    // Bytes the transport has received, of a record still arriving too (nullopt: it cannot tell).
    std::optional<uint64_t> received_bytes() const { return connection_->received_bytes(); }
    uint64_t bytes_sent() const { return bytes_sent_; }  // records handed to the transport, in bytes
    // [thread-safe] The largest message accepted from the peer from now on
    // (handshake messages are held to kMaxHandshakeMessage regardless). A
    // larger one ends the channel before the transport buffers it.
    void set_receive_limit(size_t plaintext_bytes);

    // 32 bytes only the two ends of this channel can compute, for `label` and
    // `context` (as TLS exporters): what binds a resumption ticket to the
    // session that issued it, and its redemption to the channel it comes on.
    std::array<uint8_t, 32> exporter(std::string_view label, std::span<const uint8_t> context = {}) const;

    Cipher cipher() const { return cipher_; }
    const std::string& peer_id() const { return peer_id_; }  // the host's (viewer side)
    const security::PublicKey& host_key() const { return host_key_; }

private:
    explicit SecureChannel(std::unique_ptr<Connection> connection, HelloFn on_hello = {},
                           std::function<void(std::span<const uint8_t>)> preface_check = {});
    void start_transport();  // messages and the close come from now on
    void on_raw(std::span<const uint8_t> bytes);  // transport thread
    void on_media(std::span<const uint8_t> bytes);  // transport thread
    void on_transport_closed(const std::string& reason);
    BufferRef next_handshake_message(const ChannelOptions& options);
    // `host_to_viewer`: that direction's key, the same at both ends, for exporter().
    void establish(SessionKeys keys, const Key& host_to_viewer, const ChannelOptions& options);
    void apply_receive_limit();  // holds receive_mutex_
    bool deliver(std::span<const uint8_t> record);  // holds receive_mutex_; false when refused
    void hand_over(std::vector<uint8_t> plaintext);  // holds receive_mutex_
    bool mark_closed(const std::string& reason);     // holds receive_mutex_; true the first time
    void notify_closed();                            // runs on_closed once, without the lock

    std::unique_ptr<Connection> connection_;
    Cipher cipher_{};
    std::string peer_id_;
    security::PublicKey host_key_{};

    Mailbox<BufferRef> handshake_inbox_{4, Overflow::DropOldest};  // the viewer's side
    Key exporter_secret_{};  // set once, by establish(), before the channel is handed out
    const HelloFn on_hello_;                                        // the host's side
    std::function<void(std::span<const uint8_t>)> preface_check_;   // the host's side, until the answer came
    std::optional<BufferRef> preface_hello_;                        // the host's side, sent by listen()
    bool hello_seen_ = false;
    // Recursive: a message or close callback may close the channel itself.
    mutable std::recursive_mutex receive_mutex_;
    std::unique_ptr<RecordOpener> opener_;  // set once the handshake is done
    std::unique_ptr<UnreliableOpener> media_opener_;  // with opener_, on a connection with a media lane
    std::vector<std::vector<uint8_t>> early_;  // opened before start()
    MessageFn on_message_;
    ClosedFn on_closed_;
    std::string close_reason_;
    bool closed_ = false;
    bool closed_notified_ = false;

    std::mutex send_mutex_;
    std::unique_ptr<RecordSealer> sealer_;
    std::unique_ptr<UnreliableSealer> media_sealer_;  // with sealer_, on a connection with a media lane
    const bool media_lane_;
    std::atomic<uint64_t> bytes_sent_{0};
    std::atomic<size_t> receive_limit_{SIZE_MAX};  // plaintext bytes, applied once the keys exist
};

}  // namespace tether::net
