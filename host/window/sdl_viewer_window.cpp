// The viewer window on SDL2: one thread (the caller's) owns every SDL call;
// the viewer's decode thread only copies pictures and what the host sent
// into exchanges, then wakes this thread with an SDL user event.
#include "clipboard_sync.h"
#include "input_forwarder.h"
#include "password_field.h"
#include "picture_exchange.h"
#include "remote_cursor.h"
#include "sdl_handles.h"
#include "session/permissions.h"
#include "stats_overlay.h"
#include "text_painter.h"
#include "viewer_window.h"
#include "x11_watch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace tether::window {
namespace {

constexpr int kIdleWaitMs = 100;  // how often done() is looked at when nothing happens
constexpr int kFirstWidth = 640;  // until the host says its picture's size
constexpr int kFirstHeight = 360;
constexpr int kPointSize = 16;

// SDL and SDL2_ttf, shut down after everything made with them.
struct SdlLibraries {
    ~SdlLibraries() {
        if (TTF_WasInit()) TTF_Quit();
        SDL_Quit();
    }
};

class SdlViewerWindow final : public ViewerWindow {
public:
    SdlViewerWindow(WindowOptions options, std::unique_ptr<SdlLibraries> libraries, WindowHandle window,
                    RendererHandle renderer, Uint32 wake_event)
        : libraries_(std::move(libraries)),
          options_(std::move(options)),
          title_(SDL_GetWindowTitle(window.get())),
          window_(std::move(window)),
          renderer_(std::move(renderer)),
          x11_(window_.get()),
          font_(TTF_WasInit() ? open_font(kPointSize) : nullptr),
          wake_event_(wake_event),
          stats_(options_.path),
          input_([this](const proto::InputEvent& event) {
              if (viewer_) viewer_->send_input(event);
          }) {}

    ~SdlViewerWindow() override {
        // After an X failure (a dead display) SDL's teardown waits for X events
        // that never come: the window, the renderer and SDL are left to the process's end.
        if (x11_.failure()) {
            (void)window_.release();
            (void)renderer_.release();
            (void)libraries_.release();
        }
    }

    void show_status(const std::string& text) override { set_status({text}); }

    std::optional<std::string> ask_password(const std::function<bool()>& stop) override {
        PasswordField field;
        password_ = &field;
        submitted_ = false;
        show_prompt();
        const bool open = pump([&] { return submitted_ || stop(); });
        password_ = nullptr;
        if (!open || !submitted_) return std::nullopt;
        set_status({});
        return field.text();
    }

    void attach_to(session::ViewerOptions& options) override {
        options.on_change = [this, previous = std::move(options.on_change)] {
            if (previous) previous();
            wake();
        };
        // The picture's wake comes with the on_change that follows it.
        options.on_picture = [this](const tether_video_frame& picture, session::Screen screen, int64_t latency_us) {
            pictures_.publish(picture, screen.width, screen.height, latency_us);
        };
        options.on_clipboard = [this](const proto::ClipboardText& text) {
            clipboard_.received(text);
            wake();
        };
        options.on_cursor_shape = [this](const proto::CursorShape& shape) {
            cursor_.shape_arrived(shape);
            wake();
        };
        options.on_cursor_position = [this](const proto::CursorPosition& position) {
            cursor_.position_arrived(position);
            wake();
        };
    }

    bool run_until(const std::function<bool()>& done, session::Viewer* viewer) override {
        viewer_ = viewer;
        const bool open = pump(done);
        if (viewer_) input_.release_all();
        viewer_ = nullptr;
        return open;
    }

    std::optional<std::string> lost() const override { return x11_.failure(); }

private:
    // [any thread] One wake event waits in SDL's queue at most. SDL_PushEvent makes
    // an X call only while this thread waits in SDL_WaitEventTimeout, which it does
    // off X11 only (X11Watch::waits).
    void wake() {
        if (wake_pending_.exchange(true)) return;
        SDL_Event event{};
        event.type = wake_event_;
        if (SDL_PushEvent(&event) != 1) wake_pending_ = false;
        x11_.wake();
    }

    // False when none came within kIdleWaitMs.
    bool next_event(SDL_Event& event) {
        if (!x11_.waits()) return SDL_WaitEventTimeout(&event, kIdleWaitMs);
        if (SDL_PollEvent(&event)) return true;
        x11_.wait(kIdleWaitMs);
        return SDL_PollEvent(&event);
    }

    bool pump(const std::function<bool()>& done) {
        for (;;) {
            if (x11_.window_gone() || x11_.failure()) return false;
            take_from_viewer();
            if (dirty_) render();
            if (done()) return true;
            SDL_Event event;
            if (!next_event(event)) continue;
            do {
                if (!handle(event)) return false;
            } while (SDL_PollEvent(&event));
        }
    }

    // False when the window was closed.
    bool handle(const SDL_Event& e) {
        if (x11_.says_destroyed(e)) return false;
        if (e.type == wake_event_) {
            wake_pending_ = false;
            return true;
        }
        switch (e.type) {
        case SDL_QUIT: return false;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_CLOSE) return false;
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) input_.release_all();
            // Text copied in another program while this window was away.
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_GAINED) send_local_clipboard();
            dirty_ = true;  // resized, exposed, shown
            return true;
        case SDL_CLIPBOARDUPDATE: send_local_clipboard(); return true;
        default: break;
        }
        if (password_) {
            if (password_->on_event(e)) submitted_ = true;
            show_prompt();
            return true;
        }
        if ((e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) && e.key.keysym.sym == SDLK_F10) {
            if (e.type == SDL_KEYDOWN && !e.key.repeat) toggle_overlay();
            return true;
        }
        if ((e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) && e.key.keysym.sym == SDLK_F11) {
            if (e.type == SDL_KEYDOWN && !e.key.repeat) show_next_monitor();
            return true;
        }
        if (allowed(session::kInput)) input_.on_event(e, letterbox_in_window_points());
        if (e.type == SDL_MOUSEMOTION) choose_local_cursor();
        return true;
    }

    // The host's next monitor, the whole screen after the last.
    void show_next_monitor() {
        if (!viewer_) return;
        const session::ViewerReport counters = viewer_->counters();
        if (counters.monitors == 0) return;
        const uint32_t next = (counters.monitor_shown + 1) % (counters.monitors + 1);
        spdlog::info("showing {}", next == 0 ? std::string("the whole screen")
                                             : "monitor " + std::to_string(next) + " of " + std::to_string(counters.monitors));
        viewer_->show_monitor(next);
    }

    // SDL reports a change of the clipboard only where this window owned it
    // before (X11): focus and the session's start are the other times to look.
    void send_local_clipboard() {
        if (!allowed(session::kClipboard)) return;
        clipboard_.local_changed(
            [this](const std::string& text) { return viewer_->send_clipboard(proto::ClipboardText::CLIPBOARD, text); });
    }

    bool allowed(uint32_t permission) const { return viewer_ && (viewer_->granted() & permission); }

    void take_from_viewer() {
        if (!viewer_) return;
        if (const Picture* picture = pictures_.take()) {
            show_picture(*picture);
            stats_.picture_shown(picture->latency_us);
            if (!status_text_.empty()) set_status({});
        }
        if (cursor_.update(renderer_.get())) {
            dirty_ = true;
            choose_local_cursor();
        }
        clipboard_.apply_received();
        const session::ViewerReport counters = viewer_->counters();
        if (!sized_ && counters.width > 0 && counters.height > 0) {
            // The host's Hello: what was copied before the session started goes too.
            fit_to_picture(counters.width, counters.height);
            send_local_clipboard();
        }
        if (stats_.update(counters, pictures_.published()) && overlay_on_) {
            overlay_text_.set(stats_.lines());
            dirty_ = true;
        }
    }

    // At the host's Hello: the picture's size, or less to fit the screen.
    void fit_to_picture(uint32_t width, uint32_t height) {
        sized_ = true;
        const int display = std::max(SDL_GetWindowDisplayIndex(window_.get()), 0);
        SDL_Rect usable{0, 0, static_cast<int>(width), static_cast<int>(height)};
        SDL_GetDisplayUsableBounds(display, &usable);
        int top = 0, left = 0, bottom = 0, right = 0;
        SDL_GetWindowBordersSize(window_.get(), &top, &left, &bottom, &right);
        const double scale = std::min({1.0, static_cast<double>(usable.w - left - right) / width,
                                       static_cast<double>(usable.h - top - bottom) / height});
        SDL_SetWindowSize(window_.get(), std::max(1, static_cast<int>(width * scale)),
                          std::max(1, static_cast<int>(height * scale)));
        SDL_SetWindowPosition(window_.get(), SDL_WINDOWPOS_CENTERED_DISPLAY(display),
                              SDL_WINDOWPOS_CENTERED_DISPLAY(display));
        dirty_ = true;
    }

    void show_picture(const Picture& p) {
        if (!picture_texture_ || p.width != picture_w_ || p.height != picture_h_) {
            picture_texture_.reset(SDL_CreateTexture(renderer_.get(), SDL_PIXELFORMAT_IYUV, SDL_TEXTUREACCESS_STREAMING,
                                                     static_cast<int>(p.width), static_cast<int>(p.height)));
            if (!picture_texture_) {
                spdlog::warn("viewer window: no texture for a {}x{} picture: {}", p.width, p.height, SDL_GetError());
                return;
            }
            picture_w_ = p.width;
            picture_h_ = p.height;
        }
        // The window shows the screen: a picture coded smaller is stretched to it.
        screen_w_ = p.screen_width;
        screen_h_ = p.screen_height;
        const int chroma_stride = static_cast<int>((p.width + 1) / 2);
        SDL_UpdateYUVTexture(picture_texture_.get(), nullptr, p.y.data(), static_cast<int>(p.width), p.u.data(),
                             chroma_stride, p.v.data(), chroma_stride);
        dirty_ = true;
    }

    Letterbox letterbox_in_window_points() const {
        int w = 0, h = 0;
        SDL_GetWindowSize(window_.get(), &w, &h);
        return Letterbox(screen_w_, screen_h_, w, h);
    }

    // Over the picture, while the host's own cursor is drawn there and follows
    // this pointer, the local one hides; elsewhere it shows.
    void choose_local_cursor() {
        int x = 0, y = 0;
        SDL_GetMouseState(&x, &y);
        const bool hide =
            allowed(session::kInput) && cursor_.shown() && letterbox_in_window_points().contains({x, y});
        SDL_ShowCursor(hide ? SDL_DISABLE : SDL_ENABLE);
    }

    void toggle_overlay() {
        overlay_on_ = !overlay_on_ && font_;
        if (!font_) spdlog::info("viewer window: no font, so no statistics overlay");
        overlay_text_.set(overlay_on_ ? stats_.lines() : std::vector<std::string>{});
        dirty_ = true;
    }

    void show_prompt() {
        set_status({"Password for " + options_.address, password_->masked() + "_", "Enter logs in"});
    }

    void set_status(std::vector<std::string> lines) {
        const std::string title = lines.empty() ? title_ : title_ + " - " + lines.front();
        SDL_SetWindowTitle(window_.get(), title.c_str());
        status_text_.set(std::move(lines));
        dirty_ = true;
    }

    void render() {
        SDL_Renderer* r = renderer_.get();
        SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
        SDL_RenderClear(r);
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(r, &w, &h);
        const Letterbox box(screen_w_, screen_h_, w, h);
        if (picture_texture_) {
            const SDL_Rect to{box.picture().x, box.picture().y, box.picture().w, box.picture().h};
            SDL_RenderCopy(r, picture_texture_.get(), nullptr, &to);
        }
        cursor_.draw(r, box);
        status_text_.draw(r, font_.get(), Rect{0, 0, w, h}, true);
        if (overlay_on_) overlay_text_.draw(r, font_.get(), Rect{10, 10, w, h}, false);
        SDL_RenderPresent(r);
        dirty_ = false;
    }

    std::unique_ptr<SdlLibraries> libraries_;  // first: destroyed last
    WindowOptions options_;
    const std::string title_;
    WindowHandle window_;
    RendererHandle renderer_;
    const X11Watch x11_;
    std::unique_ptr<TTF_Font, FontCloser> font_;
    const Uint32 wake_event_;
    std::atomic<bool> wake_pending_{false};
    PictureExchange pictures_;
    RemoteCursor cursor_;
    ClipboardSync clipboard_;
    StatsOverlay stats_;
    InputForwarder input_;
    TextBlock status_text_;
    TextBlock overlay_text_;
    TextureHandle picture_texture_;
    uint32_t picture_w_ = 0;  // the texture's: the picture as coded
    uint32_t picture_h_ = 0;
    uint32_t screen_w_ = 0;   // the host's pixels it shows, which input and the cursor are in
    uint32_t screen_h_ = 0;
    session::Viewer* viewer_ = nullptr;  // during run_until
    PasswordField* password_ = nullptr;  // during ask_password
    bool submitted_ = false;
    bool overlay_on_ = false;
    bool sized_ = false;
    bool dirty_ = true;
};

}  // namespace

std::unique_ptr<ViewerWindow> open_viewer_window(const WindowOptions& options, std::string& why_not) {
    // Signals stay with the program's own stop handling.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    // Smooth scaling: text on a scaled-down desktop stays legible.
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    // The click that focuses the window reaches the host too.
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    X11Watch::install_error_handlers();
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        why_not = std::string("no display: ") + SDL_GetError();
        SDL_Quit();
        return nullptr;
    }
    auto libraries = std::make_unique<SdlLibraries>();
    // Where no display answers, SDL draws into memory instead: a window nobody would see.
    const std::string driver = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
    if ((driver == "offscreen" || driver == "dummy") && !std::getenv("SDL_VIDEODRIVER")) {
        why_not = "no display ($DISPLAY or $WAYLAND_DISPLAY) could be opened";
        return nullptr;
    }
    if (TTF_Init() != 0) spdlog::warn("viewer window: SDL2_ttf: {}: no text in the window", TTF_GetError());
    WindowHandle window(SDL_CreateWindow(("tether " + options.address).c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                         kFirstWidth, kFirstHeight, SDL_WINDOW_RESIZABLE));
    if (!window) {
        why_not = std::string("no window: ") + SDL_GetError();
        return nullptr;
    }
    RendererHandle renderer(SDL_CreateRenderer(window.get(), -1, 0));
    if (!renderer) {
        why_not = std::string("no renderer: ") + SDL_GetError();
        return nullptr;
    }
    const Uint32 wake_event = SDL_RegisterEvents(1);
    if (wake_event == static_cast<Uint32>(-1)) {
        why_not = "no SDL user event left";
        return nullptr;
    }
    return std::make_unique<SdlViewerWindow>(options, std::move(libraries), std::move(window), std::move(renderer),
                                             wake_event);
}

}  // namespace tether::window
