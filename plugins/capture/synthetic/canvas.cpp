#include "canvas.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace tether::synthetic {

void Canvas::fill(Rect r, Yuv colour) {
    const int x0 = std::max(r.x, 0), x1 = std::min(r.x + r.w, width_);
    const int y0 = std::max(r.y, 0), y1 = std::min(r.y + r.h, height_);
    if (x0 >= x1 || y0 >= y1) return;
    for (int row = y0; row < y1; ++row)
        std::memset(y_ + static_cast<ptrdiff_t>(row) * y_stride_ + x0, colour.y, static_cast<size_t>(x1 - x0));
    const int cx0 = x0 / 2, cx1 = (x1 + 1) / 2;
    for (int row = y0 / 2; row < (y1 + 1) / 2; ++row) {
        std::memset(u_ + static_cast<ptrdiff_t>(row) * uv_stride_ + cx0, colour.u, static_cast<size_t>(cx1 - cx0));
        std::memset(v_ + static_cast<ptrdiff_t>(row) * uv_stride_ + cx0, colour.v, static_cast<size_t>(cx1 - cx0));
    }
}

void Canvas::put_luma_rows(int x, int y, int rows, const uint8_t* row, int count) {
    const int x0 = std::max(x, 0), x1 = std::min(x + count, width_);
    const int y0 = std::max(y, 0), y1 = std::min(y + rows, height_);
    if (x0 >= x1) return;
    for (int r = y0; r < y1; ++r)
        std::memcpy(y_ + static_cast<ptrdiff_t>(r) * y_stride_ + x0, row + (x0 - x), static_cast<size_t>(x1 - x0));
}

}  // namespace tether::synthetic
