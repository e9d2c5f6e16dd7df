#include "avcodec_decoder.h"

#include "config_rules.h"
#include "decoded_picture.h"
#include "packet_input.h"
#include "probe.h"

#include <new>
#include <stdexcept>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
}

namespace tether::x264 {
namespace {

std::string error_text(int status) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(status, text, sizeof text);
    return text;
}

}  // namespace

int AvcodecDecoder::probe(const tether_host_api* host, std::string& why) {
    return codec::probe_by(why, [host] { AvcodecDecoder decoder(host, 1); });
}

AvcodecDecoder::AvcodecDecoder(const tether_host_api*, uint32_t threads) {
    codec::require_range("threads", threads, 0, 64);
    // libavcodec writes every damaged packet's details to stderr; the
    // decoder reports its failures itself, as the host's log lines.
    av_log_set_level(AV_LOG_QUIET);
    const AVCodec* h264 = avcodec_find_decoder(AV_CODEC_ID_H264);
    if (h264 == nullptr) throw std::runtime_error("libavcodec has no H.264 decoder");
    context_.reset(avcodec_alloc_context3(h264));
    if (context_ == nullptr || packet_ == nullptr || picture_ == nullptr) throw std::bad_alloc();
    context_->thread_count = static_cast<int>(threads == 0 ? codec::default_threads() : threads);
    // Frame threads hold a picture back a frame per thread; slices are decoded at once.
    context_->thread_type = FF_THREAD_SLICE;
    context_->flags |= AV_CODEC_FLAG_LOW_DELAY;  // each picture out with its packet
    // A damaged packet is an error, after which the host asks for a
    // keyframe, not a concealed picture shown as if nothing happened.
    context_->err_recognition |= AV_EF_EXPLODE;
    if (const int status = avcodec_open2(context_.get(), h264, nullptr); status < 0) {
        throw std::runtime_error("libavcodec cannot open its H.264 decoder: " + error_text(status));
    }
}

void AvcodecDecoder::decode(const uint8_t* data, size_t size, const tether_packet& meta, FrameSink sink) {
    codec::require_packet(data, size);
    // Not reference counted: libavcodec copies the bytes, with the padding its readers need.
    packet_->data = const_cast<uint8_t*>(data);
    packet_->size = static_cast<int>(size);
    const int sent = avcodec_send_packet(context_.get(), packet_.get());
    av_packet_unref(packet_.get());
    if (sent < 0) fail(error_text(sent));
    for (size_t shown = 0;; ++shown) {
        const int status = avcodec_receive_frame(context_.get(), picture_.get());
        // A packet cut short decodes to nothing, without an error.
        if ((status == AVERROR(EAGAIN) || status == AVERROR_EOF) && shown == 0) fail("it holds no whole picture");
        if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
        if (status < 0) fail(error_text(status));
        if (picture_->format != AV_PIX_FMT_YUV420P) {
            const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(picture_->format));
            av_frame_unref(picture_.get());
            throw std::runtime_error(std::string("decoded picture is ") + (name ? name : "of an unknown format") +
                                     "; only yuv420p (I420) is supported");
        }
        const uint32_t strides[3] = {static_cast<uint32_t>(picture_->linesize[0]),
                                     static_cast<uint32_t>(picture_->linesize[1]),
                                     static_cast<uint32_t>(picture_->linesize[2])};
        sink(codec::borrowed_picture(static_cast<uint32_t>(picture_->width), static_cast<uint32_t>(picture_->height),
                                     picture_->data, strides, meta));
        av_frame_unref(picture_.get());
    }
}

void AvcodecDecoder::fail(const std::string& why) {
    avcodec_flush_buffers(context_.get());
    throw std::runtime_error("cannot decode h264 packet: " + why);
}

}  // namespace tether::x264
