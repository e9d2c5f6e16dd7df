#include "text_painter.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <filesystem>

namespace tether::window {
namespace {

constexpr std::array<const char*, 2> kFontFiles{
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",  // fonts-dejavu-core
    "/usr/share/fonts/TTF/DejaVuSansMono.ttf",               // Arch, Fedora
};
constexpr int kPadding = 8;
constexpr SDL_Color kTextColour{235, 235, 235, 255};
constexpr SDL_Color kBoxColour{0, 0, 0, 190};

}  // namespace

std::unique_ptr<TTF_Font, FontCloser> open_font(int point_size) {
    for (const char* file : kFontFiles) {
        if (!std::filesystem::exists(file)) continue;
        if (TTF_Font* font = TTF_OpenFont(file, point_size)) return std::unique_ptr<TTF_Font, FontCloser>(font);
        spdlog::warn("viewer window: font {}: {}", file, TTF_GetError());
    }
    spdlog::warn("viewer window: no font found (install fonts-dejavu-core): no text in the window, the statistics "
                 "overlay is off; the window title shows the status");
    return nullptr;
}

void TextBlock::set(std::vector<std::string> lines) {
    if (lines == lines_) return;
    lines_ = std::move(lines);
    texture_.reset();
}

void TextBlock::draw(SDL_Renderer* renderer, TTF_Font* font, const Rect& area, bool centred) {
    if (lines_.empty() || !font) return;
    if (!texture_) {
        const int line_height = TTF_FontLineSkip(font);
        std::vector<SurfaceHandle> rendered;
        int width = 0;
        for (const auto& line : lines_) {
            // An empty line renders to nothing: a space keeps its height.
            rendered.emplace_back(TTF_RenderUTF8_Blended(font, line.empty() ? " " : line.c_str(), kTextColour));
            if (rendered.back()) width = std::max(width, rendered.back()->w);
        }
        width_ = width + 2 * kPadding;
        height_ = line_height * static_cast<int>(lines_.size()) + 2 * kPadding;
        SurfaceHandle block(SDL_CreateRGBSurfaceWithFormat(0, width_, height_, 32, SDL_PIXELFORMAT_RGBA32));
        if (!block) return;
        SDL_FillRect(block.get(), nullptr, SDL_MapRGBA(block->format, kBoxColour.r, kBoxColour.g, kBoxColour.b, kBoxColour.a));
        for (size_t i = 0; i < rendered.size(); ++i) {
            if (!rendered[i]) continue;
            SDL_Rect to{kPadding, kPadding + line_height * static_cast<int>(i), rendered[i]->w, rendered[i]->h};
            // Blend each line onto the box, keeping the box's own alpha.
            SDL_SetSurfaceBlendMode(rendered[i].get(), SDL_BLENDMODE_BLEND);
            SDL_BlitSurface(rendered[i].get(), nullptr, block.get(), &to);
        }
        texture_.reset(SDL_CreateTextureFromSurface(renderer, block.get()));
        if (!texture_) return;
        SDL_SetTextureBlendMode(texture_.get(), SDL_BLENDMODE_BLEND);
    }
    const int x = centred ? area.x + (area.w - width_) / 2 : area.x;
    const int y = centred ? area.y + (area.h - height_) / 2 : area.y;
    const SDL_Rect to{std::max(x, 0), std::max(y, 0), width_, height_};
    SDL_RenderCopy(renderer, texture_.get(), nullptr, &to);
}

}  // namespace tether::window
