#include "ivf_writer.h"

#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace tether {
namespace {

constexpr size_t file_header_bytes = 32;
constexpr size_t frame_header_bytes = 12;

template <size_t N>
void put_le(uint8_t* at, uint64_t value) {
    for (size_t i = 0; i < N; ++i) at[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint16_t checked_u16(const char* what, uint32_t value) {
    if (value > std::numeric_limits<uint16_t>::max()) {
        throw std::runtime_error(std::string("IVF cannot store a ") + what + " of " + std::to_string(value));
    }
    return static_cast<uint16_t>(value);
}

}  // namespace

IvfWriter::IvfWriter(const std::filesystem::path& file, std::string_view fourcc, uint32_t width, uint32_t height,
                     uint32_t fps)
    : file_(file), width_(checked_u16("width", width)), height_(checked_u16("height", height)), fps_(fps) {
    if (fourcc.size() != 4)
        throw std::runtime_error("IVF fourcc must be 4 characters, got '" + std::string(fourcc) + "'");
    if (fps == 0) throw std::runtime_error("IVF frame rate must be at least 1");
    std::memcpy(fourcc_, fourcc.data(), 4);
    out_.open(file_, std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot create " + file_.string());
    write_header();
}

IvfWriter::~IvfWriter() {
    if (!out_.is_open()) return;
    try {
        close();
    } catch (const std::exception&) {
        // A destructor cannot report it; callers who care call close().
    }
}

void IvfWriter::write_header() {
    std::array<uint8_t, file_header_bytes> header{};
    std::memcpy(header.data(), "DKIF", 4);
    put_le<2>(&header[4], 0);
    put_le<2>(&header[6], file_header_bytes);
    std::memcpy(&header[8], fourcc_, 4);
    put_le<2>(&header[12], width_);
    put_le<2>(&header[14], height_);
    put_le<4>(&header[16], fps_);  // rate
    put_le<4>(&header[20], 1);     // scale: one tick per frame
    put_le<4>(&header[24], frame_count_);
    out_.write(reinterpret_cast<const char*>(header.data()), header.size());
}

void IvfWriter::write_frame(std::span<const uint8_t> frame, uint64_t timestamp) {
    if (frame.size() > std::numeric_limits<uint32_t>::max()) {
        throw std::runtime_error("IVF cannot store a frame of " + std::to_string(frame.size()) + " bytes");
    }
    std::array<uint8_t, frame_header_bytes> header{};
    put_le<4>(&header[0], frame.size());
    put_le<8>(&header[4], timestamp);
    out_.write(reinterpret_cast<const char*>(header.data()), header.size());
    out_.write(reinterpret_cast<const char*>(frame.data()), static_cast<std::streamsize>(frame.size()));
    if (!out_) throw std::runtime_error("cannot write to " + file_.string());
    ++frame_count_;
}

void IvfWriter::close() {
    out_.seekp(0);
    write_header();
    out_.close();
    if (!out_) throw std::runtime_error("cannot finish " + file_.string());
}

}  // namespace tether
