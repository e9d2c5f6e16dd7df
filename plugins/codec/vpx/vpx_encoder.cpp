#include "vpx_encoder.h"

#include "vpx_damage.h"

#include <tether/i420.hpp>
#include <libyuv.h>

#include <cstring>
#include <new>
#include <stdexcept>

namespace tether::vpx {
namespace {

constexpr uint32_t max_stride = 1u << 20;  // far above any real row; keeps int arithmetic safe

void require_plane(const tether_video_frame& frame, int plane, uint32_t min_stride) {
    if (frame.planes[plane] == nullptr) {
        throw std::invalid_argument("frame plane " + std::to_string(plane) + " is missing");
    }
    const uint32_t stride = frame.strides[plane];
    if (stride < min_stride || stride > max_stride) {
        throw std::invalid_argument("frame plane " + std::to_string(plane) + " has stride " + std::to_string(stride) +
                                    ", expected at least " + std::to_string(min_stride));
    }
}

}  // namespace

VpxEncoder::VpxEncoder(Codec codec, const tether_host_api* host, const tether_encoder_config& config)
    : host_(host), session_(codec, config) {
    if (host_ == nullptr || host_->buffer_alloc == nullptr || host_->buffer_unref == nullptr) {
        throw std::invalid_argument("the host offers no buffer allocator");
    }
    const tether_encoder_config& used = session_.config();
    tether::log(TETHER_LOG_INFO, "codec-vpx",
                std::string(codec_name(codec)) + " encoder " + std::to_string(used.width) + "x" +
                    std::to_string(used.height) + " at " + std::to_string(used.fps) + " fps, " +
                    std::to_string(used.bitrate_kbps) + " kbps, " + std::to_string(used.threads) + " threads, speed " +
                    std::to_string(used.speed));
}

void VpxEncoder::encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink) {
    const tether_encoder_config& config = session_.config();
    if (frame.width != config.width || frame.height != config.height) {
        throw std::invalid_argument("frame is " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                                    " but the encoder was created for " + std::to_string(config.width) + "x" +
                                    std::to_string(config.height));
    }
    const bool keyframe = (flags & TETHER_ENCODE_FORCE_KEYFRAME) != 0;
    // Only what changed since the picture before is converted and coded; the
    // first picture, a keyframe or one without damage: all of it.
    const std::vector<tether_rect> changed =
        coded_before_ && !keyframe ? even_rectangles(damage_of(frame), frame.width, frame.height)
                                   : std::vector<tether_rect>{};
    const vpx_image_t picture = picture_of(frame, changed);
    if (!changed.empty()) {
        std::vector<uint8_t> blocks = active_blocks(changed, frame.width, frame.height);
        session_.set_active_blocks(blocks.data());
        active_map_set_ = true;
    } else if (active_map_set_) {
        session_.set_active_blocks(nullptr);
        active_map_set_ = false;
    }
    session_.encode(picture, keyframe,
                    [&](std::span<const uint8_t> bitstream, bool key) { emit(bitstream, key, frame, sink); });
    coded_before_ = true;
}

vpx_image_t VpxEncoder::picture_of(const tether_video_frame& frame, std::span<const tether_rect> changed) {
    switch (frame.format) {
    case TETHER_PIXEL_I420: {
        const uint32_t chroma_width = (frame.width + 1) / 2;
        require_plane(frame, 0, frame.width);
        require_plane(frame, 1, chroma_width);
        require_plane(frame, 2, chroma_width);
        converted_is_last_ = false;
        return wrap_i420(frame.width, frame.height, frame.planes, frame.strides);
    }
    case TETHER_PIXEL_BGRA:
        return converted_from_bgra(frame, changed);
    default:
        throw std::invalid_argument("pixel format " + std::to_string(frame.format) +
                                    " is not accepted; use I420 or BGRA");
    }
}

vpx_image_t VpxEncoder::converted_from_bgra(const tether_video_frame& frame, std::span<const tether_rect> changed) {
    require_plane(frame, 0, frame.width * 4);
    if (!converted_) {
        converted_.reset(vpx_img_alloc(nullptr, VPX_IMG_FMT_I420, frame.width, frame.height, 32));
        if (!converted_) throw std::bad_alloc();
    }
    vpx_image_t& out = *converted_;
    const tether_rect whole{0, 0, frame.width, frame.height};
    const bool partly = converted_is_last_ && !changed.empty();
    converted_is_last_ = true;
    // Rectangles with even edges: each maps onto whole chroma samples.
    for (const tether_rect& r : partly ? changed : std::span<const tether_rect>(&whole, 1)) {
        const auto x = static_cast<size_t>(r.x);
        const auto y = static_cast<size_t>(r.y);
        // libyuv's "ARGB" is B, G, R, A in memory: our BGRA.
        if (libyuv::ARGBToI420(frame.planes[0] + y * frame.strides[0] + x * 4, static_cast<int>(frame.strides[0]),
                               out.planes[VPX_PLANE_Y] + y * out.stride[VPX_PLANE_Y] + x, out.stride[VPX_PLANE_Y],
                               out.planes[VPX_PLANE_U] + y / 2 * out.stride[VPX_PLANE_U] + x / 2, out.stride[VPX_PLANE_U],
                               out.planes[VPX_PLANE_V] + y / 2 * out.stride[VPX_PLANE_V] + x / 2, out.stride[VPX_PLANE_V],
                               static_cast<int>(r.width), static_cast<int>(r.height)) != 0)
            throw std::runtime_error("libyuv could not convert the BGRA frame to I420");
    }
    return out;
}

void VpxEncoder::emit(std::span<const uint8_t> bitstream, bool keyframe, const tether_video_frame& frame,
                      PacketSink sink) {
    if (bitstream.empty()) return;
    // Our reference goes back to the host once the sink has seen the packet.
    const i420::HostBuffer buffer(host_->buffer_alloc(bitstream.size()), i420::BufferUnref{host_});
    if (!buffer) {
        throw std::runtime_error("out of memory for a " + std::to_string(bitstream.size()) + "-byte packet");
    }
    std::memcpy(buffer->data, bitstream.data(), bitstream.size());
    buffer->size = bitstream.size();
    const tether_packet packet{
        .struct_size = sizeof(tether_packet),
        .flags = keyframe ? static_cast<uint32_t>(TETHER_PACKET_KEYFRAME) : 0u,
        .buffer = buffer.get(),
        .frame_number = frame.frame_number,
        .capture_time_us = frame.capture_time_us,
        .width = frame.width,
        .height = frame.height,
    };
    sink(packet);
}

int probe_encoder(Codec codec, std::string& why) {
    try {
        const tether_encoder_config tiny{
            .struct_size = sizeof(tether_encoder_config),
            .width = 64,
            .height = 64,
            .fps = 30,
            .bitrate_kbps = 0,
            .threads = 1,
            .speed = -1,
        };
        EncodeSession session(codec, tiny);
        return TETHER_OK;
    } catch (const std::exception& e) {
        why = e.what();
        return TETHER_UNAVAILABLE;
    }
}

}  // namespace tether::vpx
