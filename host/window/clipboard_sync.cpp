#include "clipboard_sync.h"

#include "session/protocol.h"

#include <SDL2/SDL.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace tether::window {
namespace {

struct SdlFree {
    void operator()(char* p) const { SDL_free(p); }
};

}  // namespace

void ClipboardSync::local_changed(const Send& send) {
    const std::unique_ptr<char, SdlFree> text(SDL_GetClipboardText());
    if (!text || *text == '\0' || last_ == text.get()) return;
    last_ = text.get();
    if (last_.size() > session::kMaxClipboardBytes) {
        spdlog::warn("clipboard: {} bytes copied, over the limit of {}: not sent to the host", last_.size(),
                     session::kMaxClipboardBytes);
        return;
    }
    if (send(last_)) spdlog::debug("clipboard: {} bytes sent to the host", last_.size());
}

void ClipboardSync::received(const proto::ClipboardText& text) {
    std::lock_guard lock(mutex_);
    std::erase_if(arrived_, [&](const auto& earlier) { return earlier.selection() == text.selection(); });
    arrived_.push_back(text);
}

void ClipboardSync::apply_received() {
    std::vector<proto::ClipboardText> arrived;
    {
        std::lock_guard lock(mutex_);
        arrived.swap(arrived_);
    }
    for (const auto& text : arrived) {
        if (text.selection() == proto::ClipboardText::PRIMARY) {
#if SDL_VERSION_ATLEAST(2, 26, 0)
            SDL_SetPrimarySelectionText(text.text().c_str());
#endif
            continue;
        }
        last_ = text.text();
        if (SDL_SetClipboardText(last_.c_str()) != 0) spdlog::warn("clipboard: {}", SDL_GetError());
    }
}

}  // namespace tether::window
