#include "desktop_scene.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace tether::synthetic {
namespace {

constexpr uint64_t frames_per_scrolled_line = 4;
constexpr uint64_t frames_per_clock_second = 30;  // the clock assumes 30 fps; only its ticking matters
constexpr uint64_t clock_start_seconds = 9 * 3600 + 41 * 60;
constexpr uint64_t frames_per_cursor_blink = 15;

constexpr Yuv taskbar_colour = rgb(30, 32, 38);
constexpr Yuv taskbar_button = rgb(58, 62, 72);
constexpr Yuv taskbar_active = rgb(90, 96, 110);
constexpr Yuv accent = rgb(38, 110, 210);
constexpr Yuv clock_colour = rgb(235, 235, 235);
constexpr Yuv frame_border = rgb(12, 12, 14);
constexpr Yuv terminal_title = rgb(52, 52, 58);
constexpr Yuv terminal_background = rgb(24, 24, 28);
constexpr Yuv cursor_colour = rgb(220, 220, 220);
constexpr Yuv window_body = rgb(242, 242, 240);
constexpr Yuv document_line = rgb(120, 124, 130);
constexpr Yuv picture_colour = rgb(230, 140, 40);
constexpr Yuv picture_detail = rgb(60, 150, 90);
constexpr Yuv close_button = rgb(220, 70, 60);
constexpr Yuv pointer_outline = rgb(0, 0, 0);
constexpr Yuv pointer_fill = rgb(255, 255, 255);

uint64_t mix(uint64_t a, uint64_t b) {
    uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// Back and forth over [0, range]: how a dragged window sweeps the screen.
int triangle(uint64_t t, int range) {
    if (range <= 0) return 0;
    const uint64_t period = 2 * static_cast<uint64_t>(range);
    const auto p = static_cast<int>(t % period);
    return p <= range ? p : static_cast<int>(period) - p;
}

// Sizes scale with the picture; `unit` is 8 pixels at 1080p.
struct Layout {
    int unit;
    Rect taskbar;
    Rect terminal;
    Rect window;
    int title_height;
};

Layout layout_for(const Canvas& c, uint64_t frame) {
    Layout l{};
    l.unit = std::max(1, std::min(c.width(), c.height()) / 135);
    l.title_height = 3 * l.unit;
    const int bar = 4 * l.unit;
    l.taskbar = {0, c.height() - bar, c.width(), bar};
    l.terminal = {c.width() / 12, c.height() / 8, c.width() * 5 / 9, c.height() * 3 / 5};
    const int w = c.width() * 2 / 5, h = c.height() * 2 / 5;
    const int speed = std::max(1, c.width() / 240);
    l.window = {triangle(frame * speed, c.width() - w), triangle(frame * speed / 2, l.taskbar.y - h), w, h};
    return l;
}

void draw_wallpaper(Canvas& c) {
    for (int y = 0; y < c.height(); ++y) {
        const int t = y * 255 / c.height();
        c.fill({0, y, c.width(), 1}, rgb(18 + t / 6, 48 + t / 3, 96 + t / 4));
    }
}

// Border, title bar with a close button, and the body rectangle it returns.
Rect draw_window_frame(Canvas& c, Rect r, int title_height, int unit, Yuv title, Yuv body) {
    c.fill(r, frame_border);
    c.fill({r.x + 1, r.y + 1, r.w - 2, title_height - 1}, title);
    c.fill({r.x + r.w - 3 * unit, r.y + unit, 2 * unit, title_height - 2 * unit}, close_button);
    const Rect inside{r.x + 1, r.y + title_height, r.w - 2, r.h - title_height - 1};
    c.fill(inside, body);
    return inside;
}

// Text is glyph-like blocks: each character is a 3x5 grid of cells switched
// on by a hash of (line, column), so a line looks the same wherever it scrolls.
void draw_terminal(Canvas& c, const Layout& l, uint64_t frame) {
    const Rect body = draw_window_frame(c, l.terminal, l.title_height, l.unit, terminal_title, terminal_background);
    if (body.w <= 0 || body.h <= 0) return;
    const int cell = std::max(1, l.unit / 4);
    const int glyph_width = l.unit;
    const int line_height = 2 * l.unit + l.unit / 2;
    const int pad = l.unit / 2 + 1;
    const int columns = std::max(0, (body.w - 2 * pad) / glyph_width);
    const int lines = std::max(0, (body.h - pad) / line_height);
    const uint64_t first_line = frame / frames_per_scrolled_line;

    std::vector<uint8_t> row(static_cast<size_t>(body.w));
    for (int line = 0; line < lines; ++line) {
        const uint64_t id = first_line + static_cast<uint64_t>(line);
        const uint64_t h = mix(id, 0);
        const int length = (h % 5 == 0 || columns < 4) ? 0 : 4 + static_cast<int>((h >> 8) % (columns - 3));
        const uint8_t ink = (h >> 20) & 1 ? 225 : 165;
        const int top = body.y + pad + line * line_height;
        for (int gy = 0; gy < 5; ++gy) {
            std::memset(row.data(), terminal_background.y, row.size());
            for (int col = 0; col < length; ++col) {
                const uint64_t glyph = mix(id, static_cast<uint64_t>(col) + 1);
                if (glyph % 7 == 0) continue;  // a space between words
                for (int gx = 0; gx < 3; ++gx) {
                    const int x = pad + col * glyph_width + gx * cell;
                    if ((glyph >> (8 + gy * 3 + gx)) & 1 && x + cell <= body.w)
                        std::memset(row.data() + x, ink, static_cast<size_t>(cell));
                }
            }
            c.put_luma_rows(body.x, top + gy * cell, cell, row.data(), body.w);
        }
    }
    if (lines > 0 && (frame / frames_per_cursor_blink) % 2 == 0)
        c.fill({body.x + pad, body.y + pad + (lines - 1) * line_height, glyph_width, 5 * cell}, cursor_colour);
}

// A document with lines of text and a picture, the window the pointer drags.
void draw_dragged_window(Canvas& c, const Layout& l) {
    const Rect body = draw_window_frame(c, l.window, l.title_height, l.unit, accent, window_body);
    const int margin = 2 * l.unit;
    const Rect picture{body.x + body.w / 2, body.y + margin, body.w / 2 - margin, body.h / 2};
    c.fill(picture, picture_colour);
    c.fill({picture.x + picture.w / 4, picture.y + picture.h / 3, picture.w / 3, picture.h / 2}, picture_detail);
    const int pitch = 2 * l.unit;
    for (int line = 0; margin + (line + 1) * pitch <= body.h - margin; ++line) {
        const bool beside_picture = margin + line * pitch < picture.y - body.y + picture.h + l.unit;
        const int room = (beside_picture ? body.w / 2 : body.w) - 2 * margin;
        const int length = room * static_cast<int>(60 + mix(static_cast<uint64_t>(line), 7) % 41) / 100;
        c.fill({body.x + margin, body.y + margin + line * pitch, length, l.unit}, document_line);
    }
}

void draw_digit(Canvas& c, int x, int y, int w, int h, int t, int digit) {
    // Segments a..g of a seven-segment display, as bit masks per digit.
    static constexpr std::array<uint8_t, 10> segments = {0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07, 0x7f, 0x6f};
    const int half = h / 2;
    const std::array<Rect, 7> parts = {Rect{x, y, w, t},
                                       Rect{x + w - t, y, t, half},
                                       Rect{x + w - t, y + half, t, h - half},
                                       Rect{x, y + h - t, w, t},
                                       Rect{x, y + half, t, h - half},
                                       Rect{x, y, t, half},
                                       Rect{x, y + half - t / 2, w, t}};
    for (int s = 0; s < 7; ++s)
        if ((segments[static_cast<size_t>(digit)] >> s) & 1) c.fill(parts[static_cast<size_t>(s)], clock_colour);
}

void draw_taskbar(Canvas& c, const Layout& l, uint64_t frame) {
    const Rect bar = l.taskbar;
    const int u = l.unit;
    c.fill(bar, taskbar_colour);
    c.fill({u, bar.y + u / 2, 3 * u, bar.h - u}, accent);
    for (int i = 0; i < 4; ++i)
        c.fill({5 * u + i * 5 * u, bar.y + u / 2, 4 * u, bar.h - u}, i == 1 ? taskbar_active : taskbar_button);

    const uint64_t seconds = clock_start_seconds + frame / frames_per_clock_second;
    const auto hours = static_cast<int>(seconds / 3600 % 24), minutes = static_cast<int>(seconds / 60 % 60),
               secs = static_cast<int>(seconds % 60);
    const std::array<int, 6> digits = {hours / 10, hours % 10, minutes / 10, minutes % 10, secs / 10, secs % 10};
    const int h = bar.h * 5 / 8, w = h / 2 + 1, t = std::max(1, h / 8);
    const int gap = std::max(1, u / 2), colon = t + 2 * gap;
    const int total = 6 * (w + gap) + 2 * colon;
    int x = bar.w - u - total;
    const int y = bar.y + (bar.h - h) / 2;
    for (size_t i = 0; i < digits.size(); ++i) {
        draw_digit(c, x, y, w, h, t, digits[i]);
        x += w + gap;
        if (i == 1 || i == 3) {
            c.fill({x + gap / 2, y + h / 4, t, t}, clock_colour);
            c.fill({x + gap / 2, y + h * 3 / 4 - t, t, t}, clock_colour);
            x += colon;
        }
    }
}

// An arrow drawn row by row: a widening head, then a short stem.
void draw_pointer(Canvas& c, int x, int y, int unit) {
    const int height = 3 * unit + 2;
    const int head = height * 2 / 3;
    for (int r = 0; r < height; ++r) {
        const int from = r < head ? 0 : head / 4;
        const int width = r < head ? r * 2 / 3 + 1 : std::max(2, head / 4);
        c.fill({x + from, y + r, width + 1, 1}, pointer_outline);
        if (r > 0 && r < height - 1 && width > 1) c.fill({x + from + 1, y + r, width - 1, 1}, pointer_fill);
    }
}

}  // namespace

void render_desktop(Canvas& canvas, uint64_t frame) {
    const Layout l = layout_for(canvas, frame);
    draw_wallpaper(canvas);
    draw_terminal(canvas, l, frame);
    draw_dragged_window(canvas, l);
    draw_taskbar(canvas, l, frame);
    draw_pointer(canvas, l.window.x + l.window.w / 3, l.window.y + l.title_height / 2, l.unit);
}

}  // namespace tether::synthetic
