#include "vpl_encoder.h"

#include "frame_checks.h"
#include "packet_output.h"
#include "vpl_status.h"

#include <vpl/mfxvideo.h>

#include <span>
#include <stdexcept>
#include <string>
#include <thread>

namespace tether::vpl {
namespace {

constexpr mfxU32 sync_timeout_ms = 1000;
constexpr int busy_retries = 100;  // 1 ms apart: a device busy for longer has failed
constexpr size_t bitstream_margin = 64 << 10;

}  // namespace

VplEncoder::VplEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config)
    : codec_(codec), host_(host), config_(resolve(config)), session_(codec) {
    if (host_ == nullptr || host_->buffer_alloc == nullptr || host_->buffer_unref == nullptr)
        throw std::invalid_argument("the host offers no buffer allocator");
    initialize();
}

VplEncoder::~VplEncoder() { MFXVideoENCODE_Close(session_.get()); }

void VplEncoder::initialize() {
    // The fixed-function encoder (LowPower) first: the lowest latency, and the
    // only one some devices have for HEVC or AV1; then whatever the device has.
    mfxStatus status = MFX_ERR_UNSUPPORTED;
    for (const bool low_power : {true, false}) {
        fill_encode_params(codec_, config_, low_power, params_);
        status = MFXVideoENCODE_Query(session_.get(), &params_.video, &params_.video);
        if (status >= MFX_ERR_NONE) status = MFXVideoENCODE_Init(session_.get(), &params_.video);
        if (status >= MFX_ERR_NONE) break;
    }
    check(status, "MFXVideoENCODE_Init (with LowPower and without)");
    initial_ = params_.video;
    initial_.NumExtParam = 0;
    initial_.ExtParam = nullptr;
    use_surface(params_.video.mfx.FrameInfo);
}

void VplEncoder::use_surface(const mfxFrameInfo& info) {
    surface_ = std::make_unique<Nv12Surface>(info);
    // No coded picture is larger than the raw one it codes, with room for headers.
    bitstream_bytes_.resize(size_t{info.Width} * info.Height * 3 / 2 + bitstream_margin);
    bitstream_ = mfxBitstream{};
    bitstream_.Data = bitstream_bytes_.data();
    bitstream_.MaxLength = static_cast<mfxU32>(bitstream_bytes_.size());
}

void VplEncoder::encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink) {
    codec::require_encodable(frame, config_.width, config_.height);
    mfxFrameSurface1& surface = surface_->surface();
    if (surface.Data.Locked != 0) throw std::runtime_error("the runtime still holds the previous picture");
    surface_->fill_from(frame);
    surface.Data.TimeStamp = pictures_++;
    mfxEncodeCtrl control{};
    const bool idr = (flags & TETHER_ENCODE_FORCE_KEYFRAME) != 0 || idr_next_;
    if (idr) control.FrameType = MFX_FRAMETYPE_I | MFX_FRAMETYPE_IDR | MFX_FRAMETYPE_REF;
    bitstream_.DataOffset = 0;
    bitstream_.DataLength = 0;
    mfxSyncPoint done = nullptr;
    mfxStatus status = MFX_WRN_DEVICE_BUSY;
    for (int attempt = 0; status == MFX_WRN_DEVICE_BUSY && attempt < busy_retries; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        status = MFXVideoENCODE_EncodeFrameAsync(session_.get(), idr ? &control : nullptr, &surface, &bitstream_, &done);
    }
    if (status == MFX_ERR_MORE_DATA) return;  // held for a later picture: nothing out yet
    if (status == MFX_WRN_DEVICE_BUSY) throw std::runtime_error("MFXVideoENCODE_EncodeFrameAsync: the device stayed busy");
    check(status, "MFXVideoENCODE_EncodeFrameAsync");
    idr_next_ = false;
    if (done == nullptr) return;
    check(MFXVideoCORE_SyncOperation(session_.get(), done, sync_timeout_ms), "MFXVideoCORE_SyncOperation");
    const bool keyframe = (bitstream_.FrameType & (MFX_FRAMETYPE_IDR | MFX_FRAMETYPE_xIDR | MFX_FRAMETYPE_I)) != 0;
    codec::emit_packet(host_, std::span(bitstream_.Data + bitstream_.DataOffset, bitstream_.DataLength), keyframe, frame,
                    sink);
}

bool VplEncoder::reconfigure(const tether_encoder_config& config) {
    const tether_encoder_config next = resolve(config);
    EncodeParams reset;
    if (!fill_reset_params(codec_, initial_, config_, next, reset)) return false;
    // The runtime says first whether this reset can be done (mfxExtEncoderResetOption).
    if (MFXVideoENCODE_Query(session_.get(), &reset.video, &reset.video) < MFX_ERR_NONE) return false;
    check(MFXVideoENCODE_Reset(session_.get(), &reset.video), "MFXVideoENCODE_Reset");
    const bool resized = next.width != config_.width || next.height != config_.height;
    if (resized) use_surface(reset.video.mfx.FrameInfo);
    idr_next_ = resized;
    config_ = next;
    return true;
}

}  // namespace tether::vpl
