// A codec's packets in the file ffmpeg reads for that codec: IVF for VP8, VP9
// and AV1; for H.264 and HEVC the packets laid end to end (Annex B, as the
// encoders write them).
#pragma once

#include "ivf_writer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>

namespace tether {

class StreamFile {
public:
    // `codec` as the encoders name it ("vp9", "h264"). Throws
    // std::runtime_error when the file cannot be written.
    StreamFile(const std::filesystem::path& file, const std::string& codec, uint32_t width, uint32_t height,
               uint32_t fps);
    // The file name ending ffmpeg recognises the container by: "ivf", "h264", "hevc".
    static std::string extension(const std::string& codec);
    // The bytes the container adds to a stream of `packets` packets (IVF's headers; none for Annex B).
    static uint64_t container_bytes(const std::string& codec, uint64_t packets);

    void write(std::span<const uint8_t> packet);  // the next picture's packet
    void close();                                 // throws on an I/O error

private:
    std::filesystem::path file_;
    std::optional<IvfWriter> ivf_;
    std::ofstream raw_;
    uint64_t written_ = 0;
};

}  // namespace tether
