// Reads YUV4MPEG2 (.y4m) files holding 8-bit 4:2:0 video, frame by frame,
// into tightly packed I420. Files are untrusted: every size is bounded and
// every defect is reported with the file name and the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>

namespace tether::y4m {

struct Header {
    uint32_t width;
    uint32_t height;
    uint32_t fps_num;
    uint32_t fps_den;
};

// The header's frame rate rounded to whole frames a second, within 1 and
// `most`: what an encoder configuration takes.
uint32_t whole_fps(const Header& header, uint32_t most);

class Reader {
public:
    static constexpr uint32_t max_dimension = 16384;

    // Opens the file and parses its header; throws std::runtime_error.
    explicit Reader(const std::filesystem::path& file);

    const Header& header() const { return header_; }
    size_t frame_bytes() const { return frame_bytes_; }

    // Reads the next frame into `i420` (exactly frame_bytes() long). False at
    // the clean end of the file; throws on a truncated or malformed frame.
    bool next(std::span<uint8_t> i420);
    void rewind();  // back to the first frame

private:
    [[noreturn]] void fail(const std::string& reason) const;
    void parse_header();

    std::string name_;
    std::ifstream in_;
    Header header_{};
    size_t frame_bytes_ = 0;
    std::streampos first_frame_{};
    uint64_t frames_read_ = 0;
};

}  // namespace tether::y4m
