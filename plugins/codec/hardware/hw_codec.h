// The codecs the hardware encoders offer, by the names the ABI uses.
#pragma once

#include <string_view>

namespace tether::hw {

enum class Codec { h264, hevc, av1 };

constexpr std::string_view codec_name(Codec codec) {
    switch (codec) {
    case Codec::h264: return "h264";
    case Codec::hevc: return "hevc";
    case Codec::av1: return "av1";
    }
    return "?";
}

}  // namespace tether::hw
