#include "y4m_reader.h"

#include <tether/i420.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace tether::y4m {
namespace {

// Real headers are well under 200 bytes; the bound only stops a hostile file
// from making us buffer an endless line.
constexpr size_t max_header_bytes = 4096;
constexpr size_t max_frame_header_bytes = 1024;
constexpr std::string_view signature = "YUV4MPEG2";
constexpr std::string_view frame_tag = "FRAME";
// Every spelling of 8-bit 4:2:0; the variants differ only in chroma siting.
constexpr std::array<std::string_view, 4> accepted_colourspaces = {"420", "420jpeg", "420mpeg2", "420paldv"};

enum class LineStatus { ok, end_of_file, too_long, unterminated };

// Reads up to and without the '\n', refusing lines longer than `limit`.
LineStatus read_line(std::istream& in, size_t limit, std::string& line) {
    line.clear();
    for (;;) {
        const int c = in.get();
        if (c == std::char_traits<char>::eof()) return line.empty() ? LineStatus::end_of_file : LineStatus::unterminated;
        if (c == '\n') return LineStatus::ok;
        if (line.size() == limit) return LineStatus::too_long;
        line.push_back(static_cast<char>(c));
    }
}

bool parse_number(std::string_view text, uint32_t& value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

}  // namespace

uint32_t whole_fps(const Header& header, uint32_t most) {
    const double rate = static_cast<double>(header.fps_num) / header.fps_den;
    return static_cast<uint32_t>(std::clamp<long>(std::lround(rate), 1, most));
}

Reader::Reader(const std::filesystem::path& file) : name_(file.string()) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) fail("is a directory, not a .y4m file");
    in_.open(file, std::ios::binary);
    if (!in_) fail(std::string("cannot open: ") + std::strerror(errno));
    parse_header();
    frame_bytes_ = i420::layout(header_.width, header_.height).total_bytes();
    first_frame_ = in_.tellg();
}

void Reader::fail(const std::string& reason) const {
    throw std::runtime_error(name_ + ": " + reason);
}

void Reader::parse_header() {
    std::string line;
    switch (read_line(in_, max_header_bytes, line)) {
    case LineStatus::ok: break;
    case LineStatus::end_of_file: fail("empty file, expected a YUV4MPEG2 header");
    case LineStatus::too_long: fail("header line longer than " + std::to_string(max_header_bytes) + " bytes");
    case LineStatus::unterminated: fail("header line not terminated by a newline");
    }
    const std::string_view text = line;
    if (!text.starts_with(signature) || (text.size() > signature.size() && text[signature.size()] != ' '))
        fail("not a YUV4MPEG2 file (missing signature)");

    bool has_width = false, has_height = false, has_rate = false;
    size_t pos = signature.size();
    while (pos < text.size()) {
        const size_t end = std::min(text.find(' ', pos), text.size());
        const std::string_view token = text.substr(pos, end - pos);
        pos = end + 1;
        if (token.empty()) continue;
        const std::string_view value = token.substr(1);
        switch (token.front()) {
        case 'W':
        case 'H': {
            uint32_t size = 0;
            if (!parse_number(value, size) || size < 1 || size > max_dimension)
                fail("bad " + std::string(token.front() == 'W' ? "width" : "height") + " '" + std::string(token) +
                     "' (must be 1.." + std::to_string(max_dimension) + ")");
            (token.front() == 'W' ? header_.width : header_.height) = size;
            (token.front() == 'W' ? has_width : has_height) = true;
            break;
        }
        case 'F': {
            const size_t colon = value.find(':');
            if (colon == std::string_view::npos || !parse_number(value.substr(0, colon), header_.fps_num) ||
                !parse_number(value.substr(colon + 1), header_.fps_den) || header_.fps_num == 0 ||
                header_.fps_den == 0)
                fail("bad frame rate '" + std::string(token) + "' (expected F<num>:<den>, both positive)");
            has_rate = true;
            break;
        }
        case 'C':
            if (std::find(accepted_colourspaces.begin(), accepted_colourspaces.end(), value) ==
                accepted_colourspaces.end())
                fail("unsupported colourspace '" + std::string(token) + "' (only 8-bit 4:2:0 is read)");
            break;
        default:
            break;  // interlacing, aspect ratio, comments: they do not change the bytes
        }
    }
    if (!has_width) fail("header has no width (W)");
    if (!has_height) fail("header has no height (H)");
    if (!has_rate) fail("header has no frame rate (F)");
}

bool Reader::next(std::span<uint8_t> i420) {
    if (i420.size() != frame_bytes_)
        fail("frame buffer holds " + std::to_string(i420.size()) + " bytes, a frame needs " +
             std::to_string(frame_bytes_));
    const std::string frame = "frame " + std::to_string(frames_read_);
    std::string line;
    switch (read_line(in_, max_frame_header_bytes, line)) {
    case LineStatus::ok: break;
    case LineStatus::end_of_file:
        if (in_.bad()) fail("read error before " + frame);
        return false;
    case LineStatus::too_long:
        fail(frame + ": header longer than " + std::to_string(max_frame_header_bytes) + " bytes");
    case LineStatus::unterminated: fail(frame + ": truncated header");
    }
    const std::string_view text = line;
    if (!text.starts_with(frame_tag) || (text.size() > frame_tag.size() && text[frame_tag.size()] != ' '))
        fail(frame + ": expected a FRAME line");
    in_.read(reinterpret_cast<char*>(i420.data()), static_cast<std::streamsize>(i420.size()));
    const auto got = static_cast<size_t>(in_.gcount());
    if (got != i420.size())
        fail(frame + " truncated: " + std::to_string(got) + " of " + std::to_string(i420.size()) + " bytes");
    ++frames_read_;
    return true;
}

void Reader::rewind() {
    in_.clear();
    in_.seekg(first_frame_);
    if (!in_) fail("cannot seek back to the first frame");
    frames_read_ = 0;
}

}  // namespace tether::y4m
