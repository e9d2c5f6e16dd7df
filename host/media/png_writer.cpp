#include "png_writer.h"

#include <libyuv.h>
#include <png.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

namespace tether {
namespace {

std::vector<uint8_t> to_rgb(const VideoFrame& frame) {
    const auto& f = frame.raw;
    std::vector<uint8_t> rgb(size_t{f.width} * f.height * 3);
    const int stride = static_cast<int>(f.width * 3);
    const auto w = static_cast<int>(f.width);
    const auto h = static_cast<int>(f.height);
    int status = -1;
    // libyuv names formats by word order: "RAW" is R,G,B in memory, as PNG wants.
    if (f.format == TETHER_PIXEL_I420)
        status = libyuv::I420ToRAW(f.planes[0], static_cast<int>(f.strides[0]), f.planes[1], static_cast<int>(f.strides[1]),
                                   f.planes[2], static_cast<int>(f.strides[2]), rgb.data(), stride, w, h);
    else if (f.format == TETHER_PIXEL_BGRA)
        status = libyuv::ARGBToRAW(f.planes[0], static_cast<int>(f.strides[0]), rgb.data(), stride, w, h);
    if (status != 0) throw std::runtime_error("cannot convert the picture to RGB");
    return rgb;
}

}  // namespace

std::string_view png_output_missing() { return {}; }

void write_png(const VideoFrame& frame, const std::filesystem::path& file) {
    const std::vector<uint8_t> rgb = to_rgb(frame);
    const auto fail = [&](const std::string& why) { return std::runtime_error("cannot write " + file.string() + ": " + why); };

    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(file.c_str(), "wb"), &std::fclose);
    if (!out) throw fail("cannot open the file");
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = frame.raw.width;
    image.height = frame.raw.height;
    image.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_stdio(&image, out.get(), 0, rgb.data(), static_cast<png_int_32>(frame.raw.width * 3), nullptr))
        throw fail(image.message);
    png_image_free(&image);
    if (std::fflush(out.get()) != 0) throw fail("write error");
}

}  // namespace tether
