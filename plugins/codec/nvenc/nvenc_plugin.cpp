// codec-nvenc: H.264, HEVC and AV1 encoders on NVIDIA's NVENC, the driver
// opened at run time.
#include "nvenc_encoder.h"
#include "nvenc_limits.h"

#include "hw_plugin.h"

namespace {

using tether::nvenc::Codec;
using tether::nvenc::NvencEncoder;

// A new driver, another GPU or another choice of GPU is probed again.
constexpr const char* probe_inputs[] = {"/proc/driver/nvidia/version", "/dev/nvidia0", "/dev/nvidiactl",
                                        "$CUDA_VISIBLE_DEVICES", nullptr};

constexpr uint32_t max_side = tether::nvenc::max_dimension;
constexpr int32_t rank = 100;  // above every software encoder of the same codec

constexpr tether_encoder_vtable h264_encoder =
    tether::hw::encoder_vtable<NvencEncoder, Codec::h264, &tether::nvenc::device_limits>(max_side);
constexpr tether_encoder_vtable hevc_encoder =
    tether::hw::encoder_vtable<NvencEncoder, Codec::hevc, &tether::nvenc::device_limits>(max_side);
constexpr tether_encoder_vtable av1_encoder =
    tether::hw::encoder_vtable<NvencEncoder, Codec::av1, &tether::nvenc::device_limits>(max_side);

constexpr tether_factory h264_factory =
    tether::factory(TETHER_KIND_ENCODER, "nvenc-h264", "H.264 hardware encoder (NVIDIA NVENC), ultra-low-latency CBR",
                    rank, &h264_encoder, nullptr, probe_inputs);
constexpr tether_factory hevc_factory =
    tether::factory(TETHER_KIND_ENCODER, "nvenc-hevc", "HEVC hardware encoder (NVIDIA NVENC), ultra-low-latency CBR",
                    rank, &hevc_encoder, nullptr, probe_inputs);
constexpr tether_factory av1_factory =
    tether::factory(TETHER_KIND_ENCODER, "nvenc-av1", "AV1 hardware encoder (NVIDIA NVENC), ultra-low-latency CBR",
                    rank, &av1_encoder, nullptr, probe_inputs);

}  // namespace

TETHER_PLUGIN("codec-nvenc", TETHER_VERSION, "H.264, HEVC and AV1 hardware encoders on NVIDIA NVENC", &h264_factory,
              &hevc_factory, &av1_factory)
