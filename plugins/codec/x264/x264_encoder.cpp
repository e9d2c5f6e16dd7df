#include "x264_encoder.h"

#include "log_line.h"
#include "packet_output.h"
#include "probe.h"
#include "x264_settings.h"

#include <stdexcept>

namespace tether::x264 {
namespace {

constexpr const char* plugin = "codec-x264";

}  // namespace

int X264Encoder::probe(const tether_host_api*, std::string& why) {
    return codec::probe_by(why, [] {
        x264_param_t param = parameters(resolve(codec::probe_config));
        param.i_log_level = X264_LOG_NONE;
        x264_t* encoder = x264_encoder_open(&param);
        if (encoder == nullptr) throw std::runtime_error("libx264 cannot open an H.264 encoder");
        x264_encoder_close(encoder);
    });
}

X264Encoder::X264Encoder(const tether_host_api* host, const tether_encoder_config& config)
    : host_(host),
      config_(resolve(config)),
      opened_fps_(config_.fps),
      param_(parameters(config_)),
      input_(config_.width, config_.height) {
    codec::require_buffer_allocator(host_);
    param_.i_log_level = X264_LOG_WARNING;
    param_.pf_log = &X264Encoder::forward_log;
    param_.p_log_private = this;
    encoder_ = x264_encoder_open(&param_);
    if (encoder_ == nullptr) throw std::runtime_error("libx264 cannot open an H.264 encoder: " + error_);
    codec::log_speed_clamped(plugin, "h264", config.speed, config_.speed, min_speed, max_speed);
    codec::log_started(plugin, "h264", config_);
}

X264Encoder::~X264Encoder() {
    x264_encoder_close(encoder_);
}

void X264Encoder::encode(const tether_video_frame& frame, uint32_t flags, PacketSink sink) {
    const bool keyframe = (flags & TETHER_ENCODE_FORCE_KEYFRAME) != 0;
    const codec::Input input = input_.take(frame, keyframe);
    x264_picture_t picture;
    x264_picture_init(&picture);
    picture.img.i_csp = X264_CSP_I420;
    picture.img.i_plane = 3;
    for (int plane = 0; plane < 3; ++plane) {
        picture.img.plane[plane] = input.picture.planes[plane];
        picture.img.i_stride[plane] = static_cast<int>(input.picture.strides[plane]);
    }
    picture.i_pts = next_pts_++;
    picture.i_type = keyframe ? X264_TYPE_IDR : X264_TYPE_AUTO;
    x264_nal_t* nals = nullptr;
    int nal_count = 0;
    x264_picture_t coded;
    error_.clear();
    const int bytes = x264_encoder_encode(encoder_, &nals, &nal_count, &picture, &coded);
    if (bytes < 0) throw std::runtime_error("libx264 failed to encode a frame: " + error_);
    // The NAL units of a picture lie one after another in memory.
    if (bytes > 0) codec::emit_packet(host_, {nals[0].p_payload, static_cast<size_t>(bytes)}, coded.b_keyframe != 0, frame, sink);
}

bool X264Encoder::reconfigure(const tether_encoder_config& config) {
    const tether_encoder_config next = resolve(config);
    const codec::ConfigChange change = codec::compare(config_, next);
    if (change.other || change.size) return false;
    x264_param_t param = param_;
    set_rate(param, next, opened_fps_);
    error_.clear();
    if (x264_encoder_reconfig(encoder_, &param) < 0)
        throw std::runtime_error("libx264 refused the new configuration: " + error_);
    param_ = param;
    config_ = next;
    codec::log_started(plugin, "h264", config_);
    return true;
}

void X264Encoder::forward_log(void* self, int level, const char* format, va_list args) {
    const std::string text = codec::log_line(format, args);
    if (level <= X264_LOG_ERROR) static_cast<X264Encoder*>(self)->error_ = text;
    tether::log(level <= X264_LOG_ERROR ? TETHER_LOG_ERROR : TETHER_LOG_WARN, plugin, "libx264: " + text);
}

}  // namespace tether::x264
