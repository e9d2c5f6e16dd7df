#include "nvenc_encoder.h"

#include "frame_checks.h"
#include "packet_output.h"
#include "nvenc_input.h"

#include <span>
#include <stdexcept>
#include <string>

namespace tether::nvenc {

NvencEncoder::NvencEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config)
    : codec_(codec), host_(host), config_(resolve(config)) {
    if (host_ == nullptr || host_->buffer_alloc == nullptr || host_->buffer_unref == nullptr)
        throw std::invalid_argument("the host offers no buffer allocator");
    session_.require(codec_);
    const Size device_max{static_cast<uint32_t>(session_.caps(codec_, NV_ENC_CAPS_WIDTH_MAX)),
                          static_cast<uint32_t>(session_.caps(codec_, NV_ENC_CAPS_HEIGHT_MAX))};
    if (config_.width > device_max.width || config_.height > device_max.height)
        throw std::invalid_argument("the GPU encodes " + std::string(codec_name(codec_)) + " up to " +
                                    std::to_string(device_max.width) + "x" + std::to_string(device_max.height));
    encode_config_ = session_.preset_config(codec_, config_.speed);
    tune(codec_, config_, encode_config_);
    params_ = initialize_params(codec_, config_, reserved_size({config_.width, config_.height}, device_max),
                                encode_config_);
    const CurrentContext current(session_.context());
    check(session_.api().nvEncInitializeEncoder(session_.encoder(), &params_), "NvEncInitializeEncoder");
    NV_ENC_CREATE_BITSTREAM_BUFFER out{};
    out.version = NV_ENC_CREATE_BITSTREAM_BUFFER_VER;
    check(session_.api().nvEncCreateBitstreamBuffer(session_.encoder(), &out), "NvEncCreateBitstreamBuffer");
    bitstream_ = out.bitstreamBuffer;
}

NvencEncoder::~NvencEncoder() {
    const CurrentContext current(session_.context());
    destroy_input();
    if (bitstream_ != nullptr) session_.api().nvEncDestroyBitstreamBuffer(session_.encoder(), bitstream_);
}

void NvencEncoder::encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink) {
    codec::require_encodable(frame, config_.width, config_.height);
    const CurrentContext current(session_.context());
    const bool idr = (flags & TETHER_ENCODE_FORCE_KEYFRAME) != 0 || idr_next_;
    submit(frame, idr);
    idr_next_ = false;
    collect(frame, sink);
}

bool NvencEncoder::reconfigure(const tether_encoder_config& config) {
    const tether_encoder_config next = resolve(config);
    NV_ENC_CONFIG next_config{};
    std::optional<NV_ENC_RECONFIGURE_PARAMS> change = reconfigure_params(params_, config_, next, next_config);
    if (!change) return false;
    const CurrentContext current(session_.context());
    // The driver keeps the session as it was when it refuses: a new encoder takes over.
    if (session_.api().nvEncReconfigureEncoder(session_.encoder(), &*change) != NV_ENC_SUCCESS) return false;
    encode_config_ = next_config;
    params_ = change->reInitEncodeParams;
    params_.encodeConfig = &encode_config_;
    idr_next_ = change->forceIDR != 0;
    config_ = next;
    return true;
}

void NvencEncoder::prepare_input(NV_ENC_BUFFER_FORMAT format) {
    if (input_ != nullptr && format == input_format_ && config_.width == input_width_ && config_.height == input_height_)
        return;
    destroy_input();
    NV_ENC_CREATE_INPUT_BUFFER in{};
    in.version = NV_ENC_CREATE_INPUT_BUFFER_VER;
    in.width = config_.width;
    in.height = config_.height;
    in.bufferFmt = format;
    check(session_.api().nvEncCreateInputBuffer(session_.encoder(), &in), "NvEncCreateInputBuffer");
    input_ = in.inputBuffer;
    input_format_ = format;
    input_width_ = config_.width;
    input_height_ = config_.height;
}

void NvencEncoder::destroy_input() {
    if (input_ != nullptr) session_.api().nvEncDestroyInputBuffer(session_.encoder(), input_);
    input_ = nullptr;
}

void NvencEncoder::submit(const tether_video_frame& frame, bool idr) {
    const NV_ENC_BUFFER_FORMAT format = input_format(frame.format);
    prepare_input(format);
    NV_ENC_LOCK_INPUT_BUFFER lock{};
    lock.version = NV_ENC_LOCK_INPUT_BUFFER_VER;
    lock.inputBuffer = input_;
    check(session_.api().nvEncLockInputBuffer(session_.encoder(), &lock), "NvEncLockInputBuffer");
    const uint32_t pitch = lock.pitch;
    const uint32_t row_bytes = format == NV_ENC_BUFFER_FORMAT_ARGB ? frame.width * 4 : frame.width;
    if (lock.bufferDataPtr != nullptr && pitch >= row_bytes)
        copy_into(frame, static_cast<uint8_t*>(lock.bufferDataPtr), pitch);
    session_.api().nvEncUnlockInputBuffer(session_.encoder(), input_);
    if (lock.bufferDataPtr == nullptr || pitch < row_bytes)
        throw std::runtime_error("NvEncLockInputBuffer gave a buffer of pitch " + std::to_string(pitch) +
                                 " for rows of " + std::to_string(row_bytes) + " bytes");

    NV_ENC_PIC_PARAMS picture{};
    picture.version = NV_ENC_PIC_PARAMS_VER;
    picture.inputWidth = frame.width;
    picture.inputHeight = frame.height;
    picture.inputPitch = pitch;
    picture.inputBuffer = input_;
    picture.outputBitstream = bitstream_;
    picture.bufferFmt = format;
    picture.pictureStruct = NV_ENC_PIC_STRUCT_FRAME;
    picture.inputTimeStamp = pictures_++;
    if (idr) picture.encodePicFlags = NV_ENC_PIC_FLAG_FORCEIDR | NV_ENC_PIC_FLAG_OUTPUT_SPSPPS;
    check(session_.api().nvEncEncodePicture(session_.encoder(), &picture), "NvEncEncodePicture");
}

void NvencEncoder::collect(const tether_video_frame& frame, PacketSink sink) {
    NV_ENC_LOCK_BITSTREAM lock{};
    lock.version = NV_ENC_LOCK_BITSTREAM_VER;
    lock.outputBitstream = bitstream_;
    check(session_.api().nvEncLockBitstream(session_.encoder(), &lock), "NvEncLockBitstream");
    const bool keyframe = lock.pictureType == NV_ENC_PIC_TYPE_IDR || lock.pictureType == NV_ENC_PIC_TYPE_I;
    try {
        codec::emit_packet(host_,
                        std::span(static_cast<const uint8_t*>(lock.bitstreamBufferPtr), lock.bitstreamSizeInBytes),
                        keyframe, frame, sink);
    } catch (...) {
        session_.api().nvEncUnlockBitstream(session_.encoder(), bitstream_);
        throw;
    }
    session_.api().nvEncUnlockBitstream(session_.encoder(), bitstream_);
}

}  // namespace tether::nvenc
