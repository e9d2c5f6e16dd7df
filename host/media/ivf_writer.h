// Writes an IVF file: the minimal container libvpx and ffmpeg read for VP8,
// VP9 and AV1 bitstreams. Layout (all little-endian):
//   file header, 32 bytes: "DKIF", version 0 (u16), header size 32 (u16),
//     fourcc, width (u16), height (u16), rate (u32), scale (u32),
//     frame count (u32), unused (u32); the time base is scale / rate seconds.
//   per frame, 12 bytes: size (u32), timestamp in time-base units (u64),
//     then the frame's bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string_view>

namespace tether {

class IvfWriter {
public:
    // fourcc: "VP80", "VP90", "AV01". Throws std::runtime_error when the file
    // cannot be written or a size does not fit the format.
    IvfWriter(const std::filesystem::path& file, std::string_view fourcc, uint32_t width, uint32_t height,
              uint32_t fps);
    ~IvfWriter();  // finishes the file if close() was not called
    IvfWriter(const IvfWriter&) = delete;
    IvfWriter& operator=(const IvfWriter&) = delete;

    void write_frame(std::span<const uint8_t> frame, uint64_t timestamp);
    // Records the frame count in the header and flushes; throws on an I/O error.
    void close();

private:
    void write_header();

    std::filesystem::path file_;
    std::ofstream out_;
    uint8_t fourcc_[4];
    uint16_t width_;
    uint16_t height_;
    uint32_t fps_;
    uint32_t frame_count_ = 0;
};

}  // namespace tether
