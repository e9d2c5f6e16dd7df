#include "x11_screen.h"

#include <sys/ipc.h>
#include <sys/shm.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace tether::x11 {
namespace {

template <typename Reply>
using Owned = std::unique_ptr<Reply, decltype(&std::free)>;

template <typename Reply>
Owned<Reply> owned(Reply* reply) {
    return Owned<Reply>(reply, &std::free);
}

}  // namespace

X11Screen::X11Screen(const std::string& display) {
    int screen_number = 0;
    connection_ = xcb_connect(display.empty() ? nullptr : display.c_str(), &screen_number);
    if (xcb_connection_has_error(connection_) != 0) {
        xcb_disconnect(connection_);
        const char* named = display.empty() ? std::getenv("DISPLAY") : display.c_str();
        throw std::runtime_error(named == nullptr ? "no X display: $DISPLAY is not set"
                                                  : std::string("cannot open X display ") + named);
    }
    const auto shm = owned(xcb_shm_query_version_reply(connection_, xcb_shm_query_version(connection_), nullptr));
    if (!shm) {
        xcb_disconnect(connection_);
        throw std::runtime_error("the X server offers no MIT-SHM, which capture needs");
    }
    xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(connection_));
    for (int i = 0; i < screen_number && screens.rem > 0; ++i) xcb_screen_next(&screens);
    root_ = screens.data->root;
}

X11Screen::~X11Screen() {
    unshare();
    xcb_disconnect(connection_);
}

void X11Screen::share(uint32_t width, uint32_t height) {
    unshare();
    size_ = static_cast<size_t>(width) * height * 4;
    const int id = shmget(IPC_PRIVATE, size_, IPC_CREAT | 0600);
    if (id < 0) throw std::runtime_error("cannot make shared memory for " + std::to_string(size_) + " bytes");
    memory_ = static_cast<uint8_t*>(shmat(id, nullptr, 0));
    segment_ = xcb_generate_id(connection_);
    const auto attached = xcb_request_check(connection_, xcb_shm_attach_checked(connection_, segment_, id, 0));
    // Marked for removal now: it goes when both sides let go, whatever happens to either.
    shmctl(id, IPC_RMID, nullptr);
    if (memory_ == reinterpret_cast<uint8_t*>(-1) || attached != nullptr) {
        std::free(attached);
        if (memory_ != reinterpret_cast<uint8_t*>(-1)) shmdt(memory_);
        memory_ = nullptr;
        throw std::runtime_error("the X server cannot share memory with this process (a remote display?)");
    }
    width_ = width;
    height_ = height;
}

void X11Screen::unshare() {
    if (memory_ == nullptr) return;
    xcb_shm_detach(connection_, segment_);
    xcb_flush(connection_);
    shmdt(memory_);
    memory_ = nullptr;
}

std::span<const uint8_t> X11Screen::read() {
    const auto geometry = owned(xcb_get_geometry_reply(connection_, xcb_get_geometry(connection_, root_), nullptr));
    if (!geometry) throw std::runtime_error("the X display went away");
    if (memory_ == nullptr || geometry->width != width_ || geometry->height != height_)
        share(geometry->width, geometry->height);
    const auto image = owned(xcb_shm_get_image_reply(
        connection_,
        xcb_shm_get_image(connection_, root_, 0, 0, static_cast<uint16_t>(width_), static_cast<uint16_t>(height_),
                          ~0u, XCB_IMAGE_FORMAT_Z_PIXMAP, segment_, 0),
        nullptr));
    if (!image) throw std::runtime_error("the X server did not hand over the screen");
    if (image->depth != 24 && image->depth != 32)
        throw std::runtime_error("screen depth " + std::to_string(image->depth) + " is not supported (24 or 32 bits)");
    return {memory_, size_};
}

}  // namespace tether::x11
