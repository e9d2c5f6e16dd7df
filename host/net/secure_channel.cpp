#include "secure_channel.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include <optional>

namespace tether::net {

SecureChannel::SecureChannel(std::unique_ptr<Connection> connection, HelloFn on_hello,
                             std::function<void(std::span<const uint8_t>)> preface_check)
    : connection_(std::move(connection)),
      on_hello_(std::move(on_hello)),
      preface_check_(std::move(preface_check)),
      media_lane_(connection_->has_unreliable_channel()) {
    connection_->set_receive_limit(kMaxHandshakeMessage);
}

void SecureChannel::start_transport() {
    connection_->start_channels(
        [this](uint32_t channel, uint32_t, std::span<const uint8_t> bytes) {
            if (channel == 0) return on_raw(bytes);
            if (channel == 1 && media_lane_) return on_media(bytes);
            // Nothing of ours travels elsewhere: dropped, as any datagram nobody expects.
        },
        [this](const std::string& reason) { on_transport_closed(reason); });
}

SecureChannel::~SecureChannel() {
    connection_->close();  // after it returns no transport callback runs
}

std::unique_ptr<SecureChannel> SecureChannel::serve(std::unique_ptr<Connection> connection, HelloFn on_hello,
                                                    MessageFn on_message, ClosedFn on_closed,
                                                    std::optional<Preface> preface) {
    std::unique_ptr<SecureChannel> channel(new SecureChannel(
        std::move(connection), std::move(on_hello), preface ? std::move(preface->check) : nullptr));
    channel->start(std::move(on_message), std::move(on_closed));
    if (preface) channel->preface_hello_ = std::move(preface->hello);
    return channel;
}

void SecureChannel::listen() {
    start_transport();
    if (preface_hello_) connection_->send(*std::exchange(preface_hello_, std::nullopt));
}

void SecureChannel::respond(const security::Identity& identity, const BufferRef& client_hello,
                            const ChannelOptions& options) {
    HostHandshakeResult result;
    try {
        result = net::respond(identity, client_hello.bytes(), options.ciphers);
    } catch (const HandshakeError& e) {
        connection_->send(reject_message(e.what()));
        throw;
    }
    // Keys first: the viewer's first record may arrive as soon as the reply leaves.
    establish(result.keys, result.keys.send, options);
    connection_->send(result.reply);
}

std::unique_ptr<SecureChannel> SecureChannel::connect(std::unique_ptr<Connection> connection, const HostCheck& check,
                                                      const ChannelOptions& options,
                                                      const std::optional<Preface>& preface) {
    std::unique_ptr<SecureChannel> channel(new SecureChannel(std::move(connection)));
    channel->start_transport();
    if (preface) {
        channel->connection_->send(preface->hello);
        preface->check(channel->next_handshake_message(options).bytes());
    }
    ClientHandshake handshake(options.ciphers);
    channel->connection_->send(handshake.hello());
    const BufferRef reply = channel->next_handshake_message(options);
    const ClientHandshake::Result result = handshake.finish(reply.bytes());
    check(result.peer_id, result.host_key);
    channel->peer_id_ = result.peer_id;
    channel->host_key_ = result.host_key;
    channel->establish(result.keys, result.keys.receive, options);
    return channel;
}

BufferRef SecureChannel::next_handshake_message(const ChannelOptions& options) {
    auto message = handshake_inbox_.pop(options.handshake_timeout);
    if (!message) {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        if (!closed_) throw HandshakeError("no handshake within " + std::to_string(options.handshake_timeout.count()) + " ms");
        // Before its handshake a host can tell nothing: it closes a newcomer
        // at once while too many connections wait to log in.
        const bool plain_close = close_reason_ == "closed by peer";
        throw HandshakeError("connection closed during the handshake: " + close_reason_ +
                             (plain_close ? " (a host busy with connections waiting to log in closes new ones, and so does a port "
                           "that is not a Tether host's)"
                         : ""));
    }
    return std::move(*message);
}

void SecureChannel::establish(SessionKeys keys, const Key& host_to_viewer, const ChannelOptions& options) {
    // Not the key itself: a one-way function of it, labelled, so no exported value is a record key.
    constexpr std::string_view kLabel = "tether exporter";
    crypto_generichash(exporter_secret_.data(), exporter_secret_.size(), reinterpret_cast<const uint8_t*>(kLabel.data()),
                       kLabel.size(), host_to_viewer.data(), host_to_viewer.size());
    if (options.debug_plaintext_records) keys.cipher = Cipher::DebugPlaintext;
    cipher_ = keys.cipher;
    {
        std::lock_guard lock(send_mutex_);
        sealer_ = std::make_unique<RecordSealer>(keys.cipher, keys.send);
        if (media_lane_) media_sealer_ = std::make_unique<UnreliableSealer>(keys.cipher, keys.send);
    }
    std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
    opener_ = std::make_unique<RecordOpener>(keys.cipher, keys.receive);
    if (media_lane_) media_opener_ = std::make_unique<UnreliableOpener>(keys.cipher, keys.receive);
    apply_receive_limit();
}

std::array<uint8_t, 32> SecureChannel::exporter(std::string_view label, std::span<const uint8_t> context) const {
    std::array<uint8_t, 32> out{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, exporter_secret_.data(), exporter_secret_.size(), out.size());
    const uint8_t length = static_cast<uint8_t>(std::min<size_t>(label.size(), 255));
    crypto_generichash_update(&state, &length, 1);  // no label is a prefix of another's input
    crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(label.data()), length);
    crypto_generichash_update(&state, context.data(), context.size());
    crypto_generichash_final(&state, out.data(), out.size());
    return out;
}

void SecureChannel::set_receive_limit(size_t plaintext_bytes) {
    receive_limit_ = plaintext_bytes;
    std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
    if (opener_) apply_receive_limit();
}

void SecureChannel::apply_receive_limit() {
    const size_t limit = receive_limit_;
    const size_t record = limit > UINT32_MAX - kRecordOverhead ? UINT32_MAX : limit + kRecordOverhead;
    connection_->set_receive_limit(static_cast<uint32_t>(record));
}

void SecureChannel::on_raw(std::span<const uint8_t> bytes) {
    bool refused = false;
    std::optional<BufferRef> hello;
    {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        if (closed_) return;
        if (opener_) {
            refused = !deliver(bytes);
        } else if (preface_check_) {
            try {
                std::exchange(preface_check_, nullptr)(bytes);
            } catch (const HandshakeError& e) {
                refused = mark_closed(e.what());
            }
        } else if (on_hello_) {
            // One handshake message is expected; more before the keys exist is an error.
            if (std::exchange(hello_seen_, true))
                refused = mark_closed("unexpected message during the handshake");
            else
                hello = BufferRef::copy_of(bytes);
        } else if (handshake_inbox_.push(BufferRef::copy_of(bytes)) != 0) {
            refused = mark_closed("unexpected message during the handshake");
        }
    }
    if (hello) on_hello_(std::move(*hello));
    // Nothing after a bad record is processed: stop reading at once.
    if (refused) {
        notify_closed();
        connection_->close();
    }
}

void SecureChannel::on_media(std::span<const uint8_t> bytes) {
    std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
    // Before the keys, nothing on this lane can be ours: dropped, as a refused record.
    if (closed_ || !media_opener_) return;
    if (std::optional<std::vector<uint8_t>> plaintext = media_opener_->open(bytes)) hand_over(std::move(*plaintext));
}

void SecureChannel::hand_over(std::vector<uint8_t> plaintext) {
    if (on_message_)
        on_message_(plaintext);
    else
        early_.push_back(std::move(plaintext));
}

uint64_t SecureChannel::media_records_dropped() const {
    std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
    return media_opener_ ? media_opener_->drops().total() : 0;
}

bool SecureChannel::deliver(std::span<const uint8_t> record) {
    std::vector<uint8_t> plaintext;
    try {
        plaintext = opener_->open(record);
    } catch (const RecordError& e) {
        mark_closed(e.what());
        return false;
    }
    hand_over(std::move(plaintext));
    return true;
}

void SecureChannel::start(MessageFn on_message, ClosedFn on_closed) {
    {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        on_message_ = std::move(on_message);
        on_closed_ = std::move(on_closed);
        for (const auto& message : early_) on_message_(message);
        early_.clear();
    }
    notify_closed();
}

void SecureChannel::on_transport_closed(const std::string& reason) {
    {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        mark_closed(reason);
    }
    notify_closed();
}

bool SecureChannel::mark_closed(const std::string& reason) {
    if (closed_) return false;
    closed_ = true;
    close_reason_ = reason;
    handshake_inbox_.close();
    spdlog::debug("secure channel closed: {}", reason);
    return true;
}

void SecureChannel::notify_closed() {
    ClosedFn notify;
    std::string reason;
    {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        if (!closed_ || closed_notified_ || !on_closed_) return;
        closed_notified_ = true;
        notify = on_closed_;
        reason = close_reason_;
    }
    // Outside the lock: the callback may close the channel, which waits for transport callbacks.
    notify(reason);
}

void SecureChannel::send(std::span<const uint8_t> plaintext, Lane lane) {
    std::lock_guard lock(send_mutex_);
    if (!sealer_) throw PluginError("send before the handshake finished");
    const bool media = lane != Lane::Control && media_sealer_;
    const BufferRef record = media ? media_sealer_->seal(plaintext) : sealer_->seal(plaintext);
    if (media)
        connection_->send_on(1, lane == Lane::MediaDroppable ? TETHER_SEND_UNRELIABLE : 0, record);
    else
        connection_->send(record);
    bytes_sent_ += record.size();
}

void SecureChannel::close(const std::string& reason) {
    {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        mark_closed(reason);
    }
    notify_closed();
    // Outside the lock: closing waits for a running callback, which may want it.
    connection_->close();
}

}  // namespace tether::net
