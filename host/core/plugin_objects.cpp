#include "plugin_objects.h"

#include "plugin_error_text.h"


#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <future>

namespace tether {
namespace {

template <typename VTable>
const VTable* table_of(const Factory& factory, tether_kind kind) {
    if (factory.kind != kind)
        throw PluginError(factory.name + " is a " + kind_name(factory.kind) + ", not a " + kind_name(kind));
    return &factory.table<VTable>();
}

// A function a later minor appended to a table: null when the plugin agreed to
// an older minor or its table ends before it.
#define TETHER_APPENDED(factory, table, type, field, minor)                                              \
    ((factory).abi_version() >= TETHER_ABI_VERSION(1, minor) && TETHER_HAS_FIELD(table, type, field) \
         ? (table)->field                                                                             \
         : nullptr)

}  // namespace

PluginObject::PluginObject(const Factory& factory)
    : plugin_(factory.plugin),
      extension_(factory.abi_version() >= TETHER_ABI_VERSION(1, 2) ? traits_of(factory.kind)->object_extension(factory.vtable)
                                                                    : nullptr) {}

const void* PluginObject::extension(const char* id) const { return extension_ ? extension_(object_, id) : nullptr; }

std::string PictureSizes::text() const {
    return std::to_string(min_width) + "x" + std::to_string(min_height) + " to " + std::to_string(max_width) + "x" +
           std::to_string(max_height);
}

ProbeResult probe(const Factory& factory) {
    PluginErrorText why;
    const int status = traits_of(factory.kind)->probe(factory.vtable)(factory.host(), &why.err);
    if (status != TETHER_OK)
        return {false, (status == TETHER_UNAVAILABLE ? "unavailable: " : "failed: ") + why.str("no reason given"), {}};
    if (factory.kind != TETHER_KIND_ENCODER) return {true, {}, {}};
    // The device's sizes, which only a probe that opened it can tell.
    const auto* vt = &factory.table<tether_encoder_vtable>();
    const auto limits = TETHER_APPENDED(factory, vt, tether_encoder_vtable, limits, 6);
    if (limits == nullptr) return {true, {}, {}};
    tether_encoder_limits l{};
    l.struct_size = sizeof l;
    PluginErrorText limits_why;
    if (limits(factory.host(), &l, &limits_why.err) != TETHER_OK)
        return {false, "failed: its sizes: " + limits_why.str("no reason given"), {}};
    // Within the table's own bounds: a device never takes more than the plugin says it can.
    const PictureSizes sizes{std::max(l.min_width, 1u), std::max(l.min_height, 1u), std::min(l.max_width, vt->max_width),
                             std::min(l.max_height, vt->max_height)};
    if (sizes.min_width > sizes.max_width || sizes.min_height > sizes.max_height)
        return {false, "failed: its sizes are empty (" + sizes.text() + ")", {}};
    return {true, {}, sizes};
}

// ---- capture ----
CaptureSource::CaptureSource(const Factory& factory, const tether_capture_config& config)
    : PluginObject(factory),
      vt_(table_of<tether_capture_vtable>(factory, TETHER_KIND_CAPTURE)),
      wait_(TETHER_APPENDED(factory, vt_, tether_capture_vtable, wait, 4)),
      cursor_(TETHER_APPENDED(factory, vt_, tether_capture_vtable, cursor, 4)),
      monitors_(TETHER_APPENDED(factory, vt_, tether_capture_vtable, monitors, 4)) {
    PluginErrorText e;
    object_ = vt_->create(factory.host(), &config, &e.err);
    if (object_ == nullptr) throw PluginError(factory.name + ": " + e.str("cannot create capture"));
}

CaptureSource::~CaptureSource() { vt_->destroy(object_); }

std::optional<VideoFrame> CaptureSource::grab() {
    PluginErrorText e;
    tether_video_frame frame{};
    frame.struct_size = sizeof(frame);
    const int status = vt_->grab(object_, &frame, &e.err);
    if (status == TETHER_AGAIN) return std::nullopt;
    if (status == TETHER_END) {
        ended_ = true;
        return std::nullopt;
    }
    if (status != TETHER_OK || frame.buffer == nullptr) throw PluginError("capture: " + e.str("grab failed"));
    return VideoFrame::adopt(frame);
}

bool CaptureSource::wait(std::chrono::milliseconds timeout) {
    PluginErrorText e;
    const auto ms = static_cast<uint32_t>(std::clamp<int64_t>(timeout.count(), 0, UINT32_MAX));
    const int status = wait_(object_, ms, &e.err);
    if (status == TETHER_OK) return true;
    if (status == TETHER_AGAIN) return false;
    throw PluginError("capture: " + e.str("wait failed"));
}

std::optional<CaptureSource::Cursor> CaptureSource::cursor() {
    if (cursor_ == nullptr) return std::nullopt;
    PluginErrorText e;
    tether_cursor raw{};
    raw.struct_size = sizeof(raw);
    const int status = cursor_(object_, &raw, &e.err);
    std::optional<BufferRef> image;
    if (raw.image != nullptr) image = BufferRef::adopt(raw.image);  // ours whatever the status
    if (status == TETHER_AGAIN) return std::nullopt;
    if (status != TETHER_OK) throw PluginError("capture: " + e.str("cursor failed"));
    if (image && image->size() != size_t{raw.width} * raw.height * 4)
        throw PluginError("capture: a cursor image of " + std::to_string(image->size()) + " bytes for " +
                          std::to_string(raw.width) + "x" + std::to_string(raw.height));
    return Cursor{raw.x, raw.y, raw.visible != 0, raw.shape_serial, std::move(image), raw.width, raw.height,
                  raw.hot_x, raw.hot_y};
}

std::vector<CaptureSource::Monitor> CaptureSource::monitors(size_t most) {
    if (monitors_ == nullptr) return {};
    std::vector<tether_monitor> raw(most);
    for (tether_monitor& m : raw) m.struct_size = sizeof m;
    uint32_t count = 0;
    PluginErrorText e;
    if (monitors_(object_, raw.data(), static_cast<uint32_t>(raw.size()), &count, &e.err) != TETHER_OK)
        throw PluginError("capture: " + e.str("cannot list its monitors"));
    std::vector<Monitor> listed;
    for (size_t i = 0; i < std::min<size_t>(count, raw.size()); ++i) {
        const tether_monitor& m = raw[i];
        // The name is plugin text: bounded by its array, whatever the plugin left in it.
        listed.push_back({m.area, m.primary != 0, std::string(m.name, strnlen(m.name, sizeof m.name))});
    }
    return listed;
}

// ---- encoder ----
Encoder::Encoder(const Factory& factory, const tether_encoder_config& config)
    : PluginObject(factory),
      vt_(table_of<tether_encoder_vtable>(factory, TETHER_KIND_ENCODER)),
      reconfigure_(TETHER_APPENDED(factory, vt_, tether_encoder_vtable, reconfigure, 6)) {
    PluginErrorText e;
    object_ = vt_->create(factory.host(), &config, &e.err);
    if (object_ == nullptr) throw PluginError(factory.name + ": " + e.str("cannot create encoder"));
}

Encoder::~Encoder() { vt_->destroy(object_); }

void Encoder::encode(const VideoFrame& frame, bool force_keyframe, const std::function<void(EncodedPacket)>& on_packet) {
    PluginErrorText e;
    auto sink = [](void* ctx, const tether_packet* packet) {
        (*static_cast<const std::function<void(EncodedPacket)>*>(ctx))(EncodedPacket::share(*packet));
    };
    const uint32_t flags = force_keyframe ? TETHER_ENCODE_FORCE_KEYFRAME : 0;
    if (vt_->encode(object_, &frame.raw, flags, sink, const_cast<std::function<void(EncodedPacket)>*>(&on_packet),
                    &e.err) != TETHER_OK)
        throw PluginError(std::string(vt_->codec) + " encode: " + e.str("failed"));
}

bool Encoder::reconfigure(const tether_encoder_config& config) {
    if (reconfigure_ == nullptr) return false;
    PluginErrorText e;
    const int status = reconfigure_(object_, &config, &e.err);
    if (status == TETHER_OK) return true;
    if (status == TETHER_UNAVAILABLE) return false;
    throw PluginError(std::string(vt_->codec) + " reconfigure: " + e.str("failed"));
}

// ---- decoder ----
Decoder::Decoder(const Factory& factory, uint32_t threads)
    : PluginObject(factory), vt_(table_of<tether_decoder_vtable>(factory, TETHER_KIND_DECODER)) {
    PluginErrorText e;
    object_ = vt_->create(factory.host(), threads, &e.err);
    if (object_ == nullptr) throw PluginError(factory.name + ": " + e.str("cannot create decoder"));
}

Decoder::~Decoder() { vt_->destroy(object_); }

void Decoder::decode(const EncodedPacket& packet, const std::function<void(const tether_video_frame&)>& on_frame) {
    PluginErrorText e;
    auto sink = [](void* ctx, const tether_video_frame* frame) {
        (*static_cast<const std::function<void(const tether_video_frame&)>*>(ctx))(*frame);
    };
    const tether_packet meta = packet.as_abi();
    if (vt_->decode(object_, packet.data.data(), packet.data.size(), &meta, sink,
                    const_cast<std::function<void(const tether_video_frame&)>*>(&on_frame), &e.err) != TETHER_OK)
        throw PluginError(std::string(vt_->codec) + " decode: " + e.str("failed"));
}

// ---- service ----
Service::Service(const Factory& factory)
    : PluginObject(factory),
      vt_(table_of<tether_service_vtable>(factory, TETHER_KIND_SERVICE)),
      name_(factory.name),
      on_session_message_(TETHER_APPENDED(factory, vt_, tether_service_vtable, on_session_message, 4)),
      on_session_end_(TETHER_APPENDED(factory, vt_, tether_service_vtable, on_session_end, 4)) {
    // Bounded: the list is plugin data, read once.
    for (size_t i = 0; vt_->topics != nullptr && vt_->topics[i] != nullptr && i < 64; ++i)
        topics_.emplace_back(vt_->topics[i]);
    PluginErrorText e;
    object_ = vt_->create(factory.host(), &e.err);
    if (object_ == nullptr) throw PluginError(factory.name + ": " + e.str("cannot create service"));
}

Service::~Service() { vt_->destroy(object_); }

void Service::deliver(const std::string& topic, std::span<const uint8_t> data, uint64_t session, uint32_t permissions) {
    if (on_session_message_ == nullptr) return vt_->on_message(object_, topic.c_str(), data.data(), data.size());
    const tether_service_message message{sizeof(message), topic.c_str(), data.data(), data.size(), session, permissions};
    on_session_message_(object_, &message);
}

void Service::session_ended(uint64_t session) {
    if (on_session_end_ != nullptr) on_session_end_(object_, session);
}

// ---- transport ----
std::shared_ptr<Transport> Transport::create(const Factory& factory) {
    return std::shared_ptr<Transport>(new Transport(factory));
}

Transport::Transport(const Factory& factory)
    : PluginObject(factory),
      vt_(table_of<tether_transport_vtable>(factory, TETHER_KIND_TRANSPORT)),
      connect_from_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, connect_from, 5)),
      send_on_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, send_on, 5)),
      open_port_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, open_port, 5)),
      port_send_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, port_send, 5)),
      punch_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, punch, 5)),
      close_port_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, close_port, 5)),
      received_bytes_(TETHER_APPENDED(factory, vt_, tether_transport_vtable, received_bytes, 7)) {
    // Channels beyond 0 only come with send_on.
    if (send_on_ != nullptr && TETHER_HAS_FIELD(vt_, tether_transport_vtable, channels))
        channels_ = std::max<uint32_t>(vt_->channels, 1);
    PluginErrorText e;
    object_ = vt_->create(factory.host(), &e.err);
    if (object_ == nullptr) throw PluginError(factory.name + ": " + e.str("cannot create transport"));
}

Transport::~Transport() { vt_->destroy(object_); }

std::unique_ptr<Listener> Transport::listen(const std::string& address, AcceptFn on_accept) {
    return std::make_unique<Listener>(shared_from_this(), address, std::move(on_accept));
}

std::unique_ptr<Connection> Transport::connect(const std::string& address, std::chrono::milliseconds timeout) {
    PluginErrorText e;
    void* conn = vt_->connect(object_, address.c_str(), static_cast<uint32_t>(timeout.count()), &e.err);
    if (conn == nullptr) throw PluginError("connect to " + address + ": " + e.str("failed"));
    return std::make_unique<Connection>(shared_from_this(), conn);
}

std::unique_ptr<Connection> Transport::connect_from(const std::string& local, const std::string& address,
                                                    uint32_t first_ttl, std::chrono::milliseconds timeout) {
    if (connect_from_ == nullptr)
        throw PluginError("the " + std::string(vt_->scheme) + " transport cannot dial from a given port (ABI 1.5)");
    PluginErrorText e;
    void* conn = connect_from_(object_, local.c_str(), address.c_str(), first_ttl,
                               static_cast<uint32_t>(timeout.count()), &e.err);
    if (conn == nullptr) throw PluginError("connect to " + address + " from " + local + ": " + e.str("failed"));
    return std::make_unique<Connection>(shared_from_this(), conn);
}

bool Transport::supports_punch() const {
    return (vt_->flags & TETHER_TRANSPORT_PUNCH) != 0 && open_port_ != nullptr && port_send_ != nullptr &&
           punch_ != nullptr && close_port_ != nullptr;
}

std::unique_ptr<Port> Transport::open_port(const std::string& bind_address, DatagramFn on_datagram) {
    if (!supports_punch()) throw PluginError("the " + std::string(vt_->scheme) + " transport opens no ports (ABI 1.5)");
    return std::make_unique<Port>(shared_from_this(), bind_address, std::move(on_datagram));
}

Listener::Listener(std::shared_ptr<Transport> transport, const std::string& address, Transport::AcceptFn on_accept)
    : transport_(std::move(transport)), on_accept_(std::move(on_accept)) {
    PluginErrorText e;
    std::array<char, 256> bound{};
    // Nothing may leave a C callback: a failure drops this connection alone.
    auto accept = [](void* ctx, void* conn, const char* peer) noexcept {
        auto* self = static_cast<Listener*>(ctx);
        const std::string from = peer ? peer : "";
        std::unique_ptr<Connection> connection;
        try {
            connection = std::make_unique<Connection>(self->transport_, conn);
        } catch (const std::exception& e) {
            self->transport_->vtable().close(conn);
            spdlog::warn("connection from {} dropped: {}", from, e.what());
            return;
        }
        try {
            self->on_accept_(std::move(connection), from);
        } catch (const std::exception& e) {
            spdlog::warn("connection from {} dropped: {}", from, e.what());
        }
    };
    object_ = transport_->vtable().listen(transport_->object_, address.c_str(), accept, this, bound.data(),
                                          bound.size(), &e.err);
    if (object_ == nullptr) throw PluginError("listen on " + address + ": " + e.str("failed"));
    bound_address_ = bound.data();
}

Listener::~Listener() { transport_->vtable().close_listener(object_); }

Connection::Connection(std::shared_ptr<Transport> transport, void* object)
    : transport_(std::move(transport)), object_(object), receive_limit_(transport_->vtable().max_message_size) {}

Connection::~Connection() { close(); }

void Connection::start(MessageFn on_message, ClosedFn on_closed) {
    on_message_ = std::move(on_message);
    begin(std::move(on_closed), false);
}

void Connection::start_channels(ChannelMessageFn on_message, ClosedFn on_closed) {
    on_channel_message_ = std::move(on_message);
    on_message_ = [this](std::span<const uint8_t> bytes) { on_channel_message_(0, 0, bytes); };
    begin(std::move(on_closed), true);
}

void Connection::begin(ClosedFn on_closed, bool with_channels) {
    on_closed_ = std::move(on_closed);
    tether_connection_callbacks callbacks{};
    callbacks.struct_size = sizeof(callbacks);
    callbacks.ctx = this;
    callbacks.on_message = [](void* ctx, const uint8_t* data, size_t size) {
        auto* self = static_cast<Connection*>(ctx);
        const CallbackScope in_callback(*self);
        if (self->accepts(size)) self->on_message_({data, size});
    };
    // A transport of an older minor never reads it, and uses on_message.
    if (with_channels)
        callbacks.on_channel_message = [](void* ctx, uint32_t channel, uint32_t flags, const uint8_t* data, size_t size) {
            auto* self = static_cast<Connection*>(ctx);
            const CallbackScope in_callback(*self);
            if (self->accepts(size)) self->on_channel_message_(channel, flags, {data, size});
        };
    callbacks.on_closed = [](void* ctx, const char* reason) {
        auto* self = static_cast<Connection*>(ctx);
        const CallbackScope in_callback(*self);
        if (!self->on_closed_) return;
        std::string why = reason ? reason : "closed";
        {
            std::lock_guard lock(self->mutex_);
            if (!self->refusal_.empty()) why = self->refusal_;
        }
        self->on_closed_(why);
    };
    callbacks.max_message_size = [](void* ctx) { return static_cast<Connection*>(ctx)->receive_limit_.load(); };
    transport_->vtable().start(object_, &callbacks);
}

void Connection::set_receive_limit(uint32_t bytes) {
    receive_limit_ = std::min(bytes, transport_->vtable().max_message_size);
}

// A transport built before ABI 1.1 does not ask for the limit; it is held to it here.
bool Connection::accepts(size_t size) {
    if (size <= receive_limit_) return true;
    refuse_oversized(size);
    return false;
}

void Connection::refuse_oversized(size_t size) {
    {
        std::lock_guard lock(mutex_);
        refusal_ = "message too large (" + std::to_string(size) + " bytes > " + std::to_string(receive_limit_.load()) + ")";
    }
    close();
}

void Connection::send(const BufferRef& message) {
    std::lock_guard lock(mutex_);
    if (object_ == nullptr) throw PluginError("send on a closed connection");
    PluginErrorText e;
    if (transport_->vtable().send(object_, message.get(), &e.err) != TETHER_OK)
        throw PluginError("send: " + e.str("failed"));
}

void Connection::send_on(uint32_t channel, uint32_t flags, const BufferRef& message) {
    const auto send_on = transport_->send_on_;
    if (send_on == nullptr) {
        if (channel == 0 && flags == 0) return send(message);
        throw PluginError("send: the " + std::string(transport_->vtable().scheme) +
                          " transport has only channel 0, reliable (ABI 1.5)");
    }
    std::lock_guard lock(mutex_);
    if (object_ == nullptr) throw PluginError("send on a closed connection");
    PluginErrorText e;
    if (send_on(object_, channel, flags, message.get(), &e.err) != TETHER_OK) throw PluginError("send: " + e.str("failed"));
}

size_t Connection::pending_bytes() const {
    std::lock_guard lock(mutex_);
    return object_ ? transport_->vtable().pending_bytes(object_) : 0;
}

std::optional<uint64_t> Connection::received_bytes() const {
    const auto received_bytes = transport_->received_bytes_;
    if (received_bytes == nullptr) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (!object_) return std::nullopt;
    return received_bytes(object_);
}

void Connection::close() {
    void* object = nullptr;
    {
        std::unique_lock lock(mutex_);
        if (object_ == nullptr) {
            // Another thread is closing it. Once close() returns no callback may
            // run, so wait for that close to finish, unless this very thread is
            // in a callback, which that close is waiting for.
            closed_.wait(lock, [&] { return !closing_ || in_callback_ == std::this_thread::get_id(); });
            return;
        }
        object = std::exchange(object_, nullptr);
        closing_ = true;
    }
    transport_->vtable().close(object);
    {
        std::lock_guard lock(mutex_);
        closing_ = false;
    }
    closed_.notify_all();
}

Connection::CallbackScope::CallbackScope(Connection& connection)
    : connection_(connection), outer_(connection.in_callback_.exchange(std::this_thread::get_id())) {}

// Callbacks nest (a close from on_message reports on_closed): the outer one is still running.
Connection::CallbackScope::~CallbackScope() { connection_.in_callback_ = outer_; }

// ---- port ----
Port::Port(std::shared_ptr<Transport> transport, const std::string& bind_address, Transport::DatagramFn on_datagram)
    : transport_(std::move(transport)), on_datagram_(std::move(on_datagram)) {
    tether_port_config config{};
    config.struct_size = sizeof config;
    config.bind_address = bind_address.c_str();
    config.ctx = this;
    // Nothing may leave a C callback.
    config.on_datagram = [](void* ctx, const char* from, const uint8_t* data, size_t size) noexcept {
        auto* self = static_cast<Port*>(ctx);
        try {
            if (self->on_datagram_) self->on_datagram_(from ? from : "", {data, size});
        } catch (const std::exception& e) {
            spdlog::warn("datagram from {} dropped: {}", from ? from : "?", e.what());
        }
    };
    PluginErrorText e;
    std::array<char, 64> bound{};
    object_ = transport_->open_port_(transport_->object_, &config, bound.data(), bound.size(), &e.err);
    if (object_ == nullptr) throw PluginError("open a port on " + bind_address + ": " + e.str("failed"));
    bound_address_ = bound.data();
}

Port::~Port() { close(); }

void Port::send(const std::string& to, std::span<const uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    if (object_ == nullptr) throw PluginError("send on a closed port");
    PluginErrorText e;
    if (transport_->port_send_(object_, to.c_str(), bytes.data(), bytes.size(), &e.err) != TETHER_OK)
        throw PluginError("send to " + to + ": " + e.str("failed"));
}

std::unique_ptr<Connection> Port::punch(const PunchPlan& plan) {
    void* object = nullptr;
    {
        std::lock_guard lock(mutex_);
        object = object_;
    }
    if (object == nullptr) throw PluginError("punch on a closed port");
    tether_punch_plan raw{};
    raw.struct_size = sizeof raw;
    raw.peer_address = plan.peer_address.c_str();
    raw.method = plan.method;
    raw.role = plan.role;
    raw.token = plan.token.data();
    raw.token_size = plan.token.size();
    raw.timeout_ms = static_cast<uint32_t>(std::clamp<int64_t>(plan.timeout.count(), 0, UINT32_MAX));
    raw.first_ttl = plan.first_ttl;
    raw.sockets = plan.sockets;
    raw.probes = plan.probes;
    raw.probes_per_second = plan.probes_per_second;
    PluginErrorText e;
    void* connection = transport_->punch_(object, &raw, &e.err);
    if (connection == nullptr) throw PluginError("punch to " + plan.peer_address + ": " + e.str("failed"));
    return std::make_unique<Connection>(transport_, connection);
}

void Port::close() {
    void* object = nullptr;
    {
        std::lock_guard lock(mutex_);
        object = std::exchange(object_, nullptr);
    }
    if (object != nullptr) transport_->close_port_(object);
}

}  // namespace tether
