#include "secure_channel.h"

#include <spdlog/spdlog.h>

namespace tether::net {

SecureChannel::SecureChannel(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {
    connection_->start([this](std::span<const uint8_t> bytes) { on_raw(bytes); },
                       [this](const std::string& reason) { on_transport_closed(reason); });
}

SecureChannel::~SecureChannel() {
    connection_->close();  // after it returns no transport callback runs
}

std::unique_ptr<SecureChannel> SecureChannel::accept(std::unique_ptr<Connection> connection,
                                                     const security::Identity& identity, const ChannelOptions& options) {
    std::unique_ptr<SecureChannel> channel(new SecureChannel(std::move(connection)));
    const BufferRef hello = channel->next_handshake_message(options);
    HostHandshakeResult result;
    try {
        result = respond(identity, hello.bytes(), options.ciphers);
    } catch (const HandshakeError& e) {
        channel->connection_->send(reject_message(e.what()));
        throw;
    }
    // Keys first: the viewer's first record may arrive as soon as the reply leaves.
    channel->establish(result.keys, options);
    channel->connection_->send(result.reply);
    return channel;
}

std::unique_ptr<SecureChannel> SecureChannel::connect(std::unique_ptr<Connection> connection, const HostCheck& check,
                                                      const ChannelOptions& options) {
    std::unique_ptr<SecureChannel> channel(new SecureChannel(std::move(connection)));
    ClientHandshake handshake(options.ciphers);
    channel->connection_->send(handshake.hello());
    const BufferRef reply = channel->next_handshake_message(options);
    const ClientHandshake::Result result = handshake.finish(reply.bytes());
    check(result.peer_id, result.host_key);
    channel->peer_id_ = result.peer_id;
    channel->host_key_ = result.host_key;
    channel->establish(result.keys, options);
    return channel;
}

BufferRef SecureChannel::next_handshake_message(const ChannelOptions& options) {
    auto message = handshake_inbox_.pop(options.handshake_timeout);
    if (!message) {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        throw HandshakeError(closed_ ? "connection closed during the handshake: " + close_reason_
                                     : "no handshake within " + std::to_string(options.handshake_timeout.count()) + " ms");
    }
    return std::move(*message);
}

void SecureChannel::establish(SessionKeys keys, const ChannelOptions& options) {
    if (options.debug_plaintext_records) keys.cipher = Cipher::DebugPlaintext;
    cipher_ = keys.cipher;
    {
        std::lock_guard lock(send_mutex_);
        sealer_ = std::make_unique<RecordSealer>(keys.cipher, keys.send);
    }
    std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
    opener_ = std::make_unique<RecordOpener>(keys.cipher, keys.receive);
}

void SecureChannel::on_raw(std::span<const uint8_t> bytes) {
    bool refused = false;
    {
        std::lock_guard<std::recursive_mutex> lock(receive_mutex_);
        if (closed_) return;
        if (!opener_) {
            // One handshake message is expected; more before the keys exist is an error.
            if (handshake_inbox_.push(BufferRef::copy_of(bytes)) != 0)
                refused = mark_closed("unexpected message during the handshake");
        } else {
            refused = !deliver(bytes);
        }
    }
    // Nothing after a bad record is processed: stop reading at once.
    if (refused) {
        notify_closed();
        connection_->close();
    }
}

bool SecureChannel::deliver(std::span<const uint8_t> record) {
    std::vector<uint8_t> plaintext;
    try {
        plaintext = opener_->open(record);
    } catch (const RecordError& e) {
        mark_closed(e.what());
        return false;
    }
    if (on_message_)
        on_message_(plaintext);
    else
        early_.push_back(std::move(plaintext));
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

void SecureChannel::send(std::span<const uint8_t> plaintext) {
    std::lock_guard lock(send_mutex_);
    if (!sealer_) throw PluginError("send before the handshake finished");
    connection_->send(sealer_->seal(plaintext));
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
