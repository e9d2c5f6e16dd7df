// The independent X tools window tests judge with: xdotool finds, focuses,
// resizes and types into a window; ImageMagick's import and xwd take
// screenshots; ImageMagick draws test pictures and compares pictures.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace tether::test {

// The first window on `display` whose name matches `name`, or "" when none appeared within `timeout`.
std::string find_window(const std::string& display, const std::string& name, std::chrono::milliseconds timeout);

// The root window's id on `display` (xwininfo); throws when there is none.
std::string root_window(const std::string& display);

// Runs xdotool on `display` with `args` ("windowsize", id, "960", "540"); throws when it fails.
void xdotool(const std::string& display, const std::vector<std::string>& args);

// The window's contents as a PNG file, or false when it could not be taken.
bool grab_window(const std::string& display, const std::string& id, const std::filesystem::path& png);
// The whole screen (xwd -root) as a PNG file; throws when it could not be taken.
void grab_screen(const std::string& display, const std::filesystem::path& png);

// A width x height picture of coloured rectangles on a dark background, as a PNG file.
void draw_test_pattern(uint32_t width, uint32_t height, const std::filesystem::path& png);
// Shows a picture as the root window's background (ImageMagick's display).
void show_on_root(const std::string& display, const std::filesystem::path& png);

// The PSNR of `picture` against `reference` scaled to the picture's size, in dB
// (infinity when equal); 0 when either cannot be read.
double psnr(const std::filesystem::path& picture, const std::filesystem::path& reference);
// How many colours a picture has (1: a blank window).
size_t colours(const std::filesystem::path& png);

}  // namespace tether::test
