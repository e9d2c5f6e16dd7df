#include "stream_file.h"

#include <stdexcept>

namespace tether {
namespace {

constexpr uint64_t ivf_file_header_bytes = 32;
constexpr uint64_t ivf_frame_header_bytes = 12;

// The IVF fourcc of a codec IVF carries; empty for the codecs stored as Annex B.
std::string ivf_fourcc(const std::string& codec) {
    if (codec == "vp8") return "VP80";
    if (codec == "vp9") return "VP90";
    if (codec == "av1") return "AV01";
    return "";
}

}  // namespace

StreamFile::StreamFile(const std::filesystem::path& file, const std::string& codec, uint32_t width, uint32_t height,
                       uint32_t fps)
    : file_(file) {
    const std::string fourcc = ivf_fourcc(codec);
    if (!fourcc.empty()) {
        ivf_.emplace(file, fourcc, width, height, fps);
        return;
    }
    raw_.open(file, std::ios::binary | std::ios::trunc);
    if (!raw_) throw std::runtime_error("cannot create " + file.string());
}

std::string StreamFile::extension(const std::string& codec) {
    return ivf_fourcc(codec).empty() ? codec : "ivf";
}

uint64_t StreamFile::container_bytes(const std::string& codec, uint64_t packets) {
    return ivf_fourcc(codec).empty() ? 0 : ivf_file_header_bytes + ivf_frame_header_bytes * packets;
}

void StreamFile::write(std::span<const uint8_t> packet) {
    if (ivf_) {
        ivf_->write_frame(packet, written_);  // time stamps in frames, from 0
    } else {
        raw_.write(reinterpret_cast<const char*>(packet.data()), static_cast<std::streamsize>(packet.size()));
        if (!raw_) throw std::runtime_error("cannot write to " + file_.string());
    }
    ++written_;
}

void StreamFile::close() {
    if (ivf_) {
        ivf_->close();
        return;
    }
    raw_.close();
    if (!raw_) throw std::runtime_error("cannot finish " + file_.string());
}

}  // namespace tether
