// codec-vpl: H.264, HEVC and AV1 encoders on Intel GPUs through oneVPL.
#include "vpl_encoder.h"
#include "vpl_limits.h"

#include "hw_plugin.h"

namespace {

using tether::vpl::Codec;
using tether::vpl::VplEncoder;

// A new runtime or media driver, another GPU, or another runtime chosen is probed again.
constexpr const char* probe_inputs[] = {TETHER_LIBDIR "/libmfx-gen.so.1.2",
                                        TETHER_LIBDIR "/libmfxhw64.so.1",
                                        TETHER_LIBDIR "/dri/iHD_drv_video.so",
                                        "/dev/dri/renderD128",
                                        "$ONEVPL_SEARCH_PATH",
                                        "$LIBVA_DRIVER_NAME",
                                        nullptr};

constexpr uint32_t max_side = tether::vpl::max_dimension;
constexpr int32_t rank = 90;  // above software; below NVENC, which a machine with both most likely bought for video

constexpr tether_encoder_vtable h264_encoder =
    tether::hw::encoder_vtable<VplEncoder, Codec::h264, &tether::vpl::implementation_limits>(max_side);
constexpr tether_encoder_vtable hevc_encoder =
    tether::hw::encoder_vtable<VplEncoder, Codec::hevc, &tether::vpl::implementation_limits>(max_side);
constexpr tether_encoder_vtable av1_encoder =
    tether::hw::encoder_vtable<VplEncoder, Codec::av1, &tether::vpl::implementation_limits>(max_side);

constexpr tether_factory h264_factory =
    tether::factory(TETHER_KIND_ENCODER, "vpl-h264", "H.264 hardware encoder (Intel oneVPL), low-delay CBR", rank,
                    &h264_encoder, nullptr, probe_inputs);
constexpr tether_factory hevc_factory =
    tether::factory(TETHER_KIND_ENCODER, "vpl-hevc", "HEVC hardware encoder (Intel oneVPL), low-delay CBR", rank,
                    &hevc_encoder, nullptr, probe_inputs);
constexpr tether_factory av1_factory =
    tether::factory(TETHER_KIND_ENCODER, "vpl-av1", "AV1 hardware encoder (Intel oneVPL), low-delay CBR", rank,
                    &av1_encoder, nullptr, probe_inputs);

}  // namespace

TETHER_PLUGIN("codec-vpl", TETHER_VERSION, "H.264, HEVC and AV1 hardware encoders on Intel GPUs through oneVPL",
              &h264_factory, &hevc_factory, &av1_factory)
