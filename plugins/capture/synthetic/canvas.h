// Drawing into an I420 picture with clipped rectangle fills: every shape is
// made of row memsets, which keeps a 1080p frame far below a millisecond per
// layer.
#pragma once

#include <cstdint>

namespace tether::synthetic {

struct Yuv {
    uint8_t y, u, v;
};

// BT.601 limited range, the colour space of TETHER_PIXEL_I420.
constexpr Yuv rgb(int r, int g, int b) {
    return Yuv{static_cast<uint8_t>(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16),
               static_cast<uint8_t>(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128),
               static_cast<uint8_t>(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128)};
}

struct Rect {
    int x, y, w, h;
};

class Canvas {
public:
    Canvas(uint8_t* y, uint8_t* u, uint8_t* v, int y_stride, int uv_stride, int width, int height)
        : y_(y), u_(u), v_(v), y_stride_(y_stride), uv_stride_(uv_stride), width_(width), height_(height) {}

    int width() const { return width_; }
    int height() const { return height_; }

    // Fills the part of `r` inside the picture; chroma covers every 2x2 block it touches.
    void fill(Rect r, Yuv colour);
    // Copies `row` (pixels [x, x + count) of a luma row) into `rows` luma rows from y.
    void put_luma_rows(int x, int y, int rows, const uint8_t* row, int count);

private:
    uint8_t* y_;
    uint8_t* u_;
    uint8_t* v_;
    int y_stride_;
    int uv_stride_;
    int width_;
    int height_;
};

}  // namespace tether::synthetic
