#include "dav1d_decoder.h"

#include "config_rules.h"
#include "decoded_picture.h"
#include "log_line.h"
#include "packet_input.h"
#include "probe.h"

#include <cstring>
#include <new>
#include <stdexcept>
#include <system_error>

namespace tether::aom {
namespace {

constexpr size_t max_log_chars = 400;

// dav1d's errors are negative errno values.
std::string error_text(int status) {
    return std::generic_category().message(-status);
}

// A dav1d reference given back when the scope ends: a picture once shown,
// what dav1d has not taken of a packet.
template <typename T, void (*release)(T*)>
struct Owned {
    T value{};
    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() { release(&value); }
};
using Picture = Owned<Dav1dPicture, dav1d_picture_unref>;
using Data = Owned<Dav1dData, dav1d_data_unref>;

}  // namespace

int Dav1dDecoder::probe(const tether_host_api* host, std::string& why) {
    return codec::probe_by(why, [host] { Dav1dDecoder decoder(host, 1); });
}

Dav1dDecoder::Dav1dDecoder(const tether_host_api*, uint32_t threads) {
    codec::require_range("threads", threads, 0, DAV1D_MAX_THREADS);
    Dav1dSettings settings;
    dav1d_default_settings(&settings);
    settings.n_threads = static_cast<int>(threads == 0 ? codec::default_threads() : threads);
    settings.max_frame_delay = 1;  // low latency: each picture leaves with its packet
    // No picture larger than any encoder makes: a hostile header cannot make dav1d allocate more.
    settings.frame_size_limit = codec::max_dimension * codec::max_dimension;
    settings.logger = {this, &Dav1dDecoder::collect_log};
    if (const int status = dav1d_open(&context_, &settings); status < 0) {
        throw std::runtime_error("dav1d cannot open an AV1 decoder: " + error_text(status));
    }
}

Dav1dDecoder::~Dav1dDecoder() {
    dav1d_close(&context_);
}

void Dav1dDecoder::decode(const uint8_t* data, size_t size, const tether_packet& meta, FrameSink sink) {
    codec::require_packet(data, size);
    log_.clear();
    // A copy: dav1d may hold the bytes past this call, and the host's are only lent.
    Data packet;
    uint8_t* bytes = dav1d_data_create(&packet.value, size);
    if (bytes == nullptr) throw std::bad_alloc();
    std::memcpy(bytes, data, size);
    size_t shown = 0;
    while (packet.value.sz > 0) {
        const int sent = dav1d_send_data(context_, &packet.value);
        if (sent < 0 && sent != DAV1D_ERR(EAGAIN)) fail(error_text(sent));
        // EAGAIN: a picture is waiting to be taken first. Taken, dav1d takes the rest.
        const size_t taken = deliver_pictures(meta, sink);
        if (taken == 0 && sent == DAV1D_ERR(EAGAIN)) fail(error_text(sent));
        shown += taken;
    }
    // A temporal unit cut short can be taken without an error, and gives nothing.
    if (shown == 0) fail("it holds no whole picture");
}

size_t Dav1dDecoder::deliver_pictures(const tether_packet& meta, FrameSink sink) {
    for (size_t delivered = 0;; ++delivered) {
        Picture shown;
        const int status = dav1d_get_picture(context_, &shown.value);
        if (status == DAV1D_ERR(EAGAIN)) return delivered;
        if (status < 0) fail(error_text(status));
        const Dav1dPicture& picture = shown.value;
        // Main profile streams, the only ones our encoder makes, decode to 8-bit I420.
        if (picture.p.layout != DAV1D_PIXEL_LAYOUT_I420 || picture.p.bpc != 8) {
            throw std::runtime_error("decoded picture has dav1d layout " + std::to_string(picture.p.layout) + " at " +
                                     std::to_string(picture.p.bpc) + " bits; only 8-bit 4:2:0 is supported");
        }
        uint8_t* const planes[3] = {static_cast<uint8_t*>(picture.data[0]), static_cast<uint8_t*>(picture.data[1]),
                                    static_cast<uint8_t*>(picture.data[2])};
        const auto luma_stride = static_cast<uint32_t>(picture.stride[0]);
        const auto chroma_stride = static_cast<uint32_t>(picture.stride[1]);
        const uint32_t strides[3] = {luma_stride, chroma_stride, chroma_stride};
        sink(codec::borrowed_picture(static_cast<uint32_t>(picture.p.w), static_cast<uint32_t>(picture.p.h), planes,
                                     strides, meta));
    }
}

void Dav1dDecoder::fail(const std::string& why) {
    std::string reason = "cannot decode av1 packet: " + why;
    if (!log_.empty()) reason += " (dav1d: " + log_ + ")";
    dav1d_flush(context_);
    throw std::runtime_error(reason);
}

void Dav1dDecoder::collect_log(void* self, const char* format, va_list args) {
    std::string& log = static_cast<Dav1dDecoder*>(self)->log_;
    if (log.size() >= max_log_chars) return;
    if (!log.empty()) log += "; ";
    log += codec::log_line(format, args);
}

}  // namespace tether::aom
