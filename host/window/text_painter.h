// Lines of text drawn over the picture on a dark box (SDL2_ttf). The font is
// DejaVu Sans Mono where Debian's fonts-dejavu-core puts it; without it the
// window shows no text (its title still says what the text would).
#pragma once

#include "letterbox.h"
#include "sdl_handles.h"

#include <SDL2/SDL_ttf.h>

#include <memory>
#include <string>
#include <vector>

namespace tether::window {

struct FontCloser {
    void operator()(TTF_Font* font) const { TTF_CloseFont(font); }
};

// One block of lines; its texture is made again only when the lines change.
class TextBlock {
public:
    void set(std::vector<std::string> lines);
    bool empty() const { return lines_.empty(); }
    // At the top left of `area`, or centred in it.
    void draw(SDL_Renderer* renderer, TTF_Font* font, const Rect& area, bool centred);

private:
    std::vector<std::string> lines_;
    TextureHandle texture_;  // made at the next draw when null
    int width_ = 0;
    int height_ = 0;
};

// The font, or nullptr after saying why there is no text (TTF_Init done by the caller).
std::unique_ptr<TTF_Font, FontCloser> open_font(int point_size);

}  // namespace tether::window
