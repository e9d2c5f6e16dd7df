// ffmpeg's own encoder for a codec, set as our plugin sets its library
// (plugins/codec/*/..._settings.cpp), to measure our plugins against.
#pragma once

#include "encoder_settings.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace tether::cli {

struct FfmpegEncoder {
    std::string name;                     // "libvpx-vp9"
    std::vector<std::string> arguments;   // after -c:v name
    std::vector<std::string> differences;  // plugin settings ffmpeg 5.1 has no option for
};

// std::invalid_argument for a codec ffmpeg has no counterpart set up for here.
FfmpegEncoder ffmpeg_encoder(const std::string& codec, const EncoderSettings& settings);

// Encodes `y4m` with `encoder` under `-benchmark` into `stream` (in the
// container StreamFile writes ours in): {cpu_s, wall_s}, ffmpeg's own user +
// system and real time of its run.
nlohmann::json ffmpeg_encode(const FfmpegEncoder& encoder, const std::string& codec, uint32_t threads,
                             const std::filesystem::path& y4m, const std::filesystem::path& stream);

// ffmpeg reading `y4m` and passing its frames on uncoded: the part of
// ffmpeg_encode's figures that is not the encoder (ours reads before timing).
nlohmann::json ffmpeg_read(const std::filesystem::path& y4m);

}  // namespace tether::cli
