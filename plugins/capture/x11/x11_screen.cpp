#include "x11_screen.h"

#include "damage_region.h"
#include "xcb_helpers.h"

#include <sys/ipc.h>
#include <sys/shm.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace tether::x11 {
namespace {

// What encoders take at most; a larger size from the server is refused, not allocated.
constexpr uint32_t max_side = 16384;

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
    if (!present(connection_, &xcb_shm_id) ||
        !owned(xcb_shm_query_version_reply(connection_, xcb_shm_query_version(connection_), nullptr))) {
        xcb_disconnect(connection_);
        throw std::runtime_error("the X server offers no MIT-SHM, which capture needs");
    }
    xcb_screen_iterator_t screens = xcb_setup_roots_iterator(xcb_get_setup(connection_));
    for (int i = 0; i < screen_number && screens.rem > 0; ++i) xcb_screen_next(&screens);
    root_ = screens.data->root;
    // Each extension must be told which version the client speaks before its first request.
    if (present(connection_, &xcb_xfixes_id)) {
        const auto fixes = owned(
            xcb_xfixes_query_version_reply(connection_, xcb_xfixes_query_version(connection_, 5, 0), nullptr));
        has_xfixes_ = fixes && fixes->major_version >= 2;
    }
    try {
        follow_size();
    } catch (...) {
        xcb_disconnect(connection_);
        throw;
    }
}

X11Screen::~X11Screen() {
    unshare();
    xcb_disconnect(connection_);
}

std::pair<uint32_t, uint32_t> X11Screen::size_now() {
    const auto geometry =
        answer(connection_, xcb_get_geometry_reply, xcb_get_geometry(connection_, root_), "the screen's size");
    if (geometry->width == 0 || geometry->height == 0 || geometry->width > max_side || geometry->height > max_side)
        throw std::runtime_error("a screen of " + std::to_string(geometry->width) + "x" +
                                 std::to_string(geometry->height) + " cannot be captured (1 to 16384 a side)");
    return {geometry->width, geometry->height};
}

bool X11Screen::follow_size() {
    const auto [width, height] = size_now();
    if (memory_ != nullptr && width == width_ && height == height_) return false;
    share(width, height);
    return true;
}

void X11Screen::share(uint32_t width, uint32_t height) {
    unshare();
    size_ = size_t{width} * height * 4;
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

bool X11Screen::read(std::span<const tether_rect> areas, uint8_t* picture, uint32_t stride, const tether_rect& origin) {
    // Every area's request goes out before the first reply is awaited, each
    // into its own part of the segment: one round trip for them all, as long
    // as they fit.
    struct Pending {
        xcb_shm_get_image_cookie_t cookie;
        tether_rect area;
        size_t offset;
    };
    std::vector<Pending> pending;
    size_t used = 0;
    const auto take = [&](const Pending& p) {
        const auto image = answer(connection_, xcb_shm_get_image_reply, p.cookie, "the screen's pixels");
        if (image->depth != 24 && image->depth != 32)
            throw std::runtime_error("screen depth " + std::to_string(image->depth) +
                                     " is not supported (24 or 32 bits)");
        const size_t row = size_t{p.area.width} * 4;
        if (image->size != row * p.area.height)
            throw std::runtime_error("the X server handed over " + std::to_string(image->size) + " bytes for " +
                                     std::to_string(p.area.width) + "x" + std::to_string(p.area.height) + " pixels");
        // Inside the origin's rectangle (checked when asked for): no negative offsets.
        uint8_t* to = picture + static_cast<size_t>(p.area.y - origin.y) * stride +
                      static_cast<size_t>(p.area.x - origin.x) * 4;
        for (uint32_t y = 0; y < p.area.height; ++y) std::memcpy(to + y * size_t{stride}, memory_ + p.offset + y * row, row);
    };
    const auto collect = [&] {
        size_t next = 0;
        try {
            for (; next < pending.size(); ++next) take(pending[next]);
        } catch (...) {
            // A reply never asked for would stay queued in XCB for good.
            for (++next; next < pending.size(); ++next) xcb_discard_reply(connection_, pending[next].cookie.sequence);
            throw;
        }
        pending.clear();
        used = 0;
    };
    try {
        for (const tether_rect& area : areas) {
            if (!contains(bounds(), area) || !contains(origin, area))
                throw std::logic_error("an area outside the screen or the picture");
            const size_t bytes = size_t{area.width} * area.height * 4;
            if (used + bytes > size_) collect();
            pending.push_back({xcb_shm_get_image(connection_, root_, static_cast<int16_t>(area.x),
                                                 static_cast<int16_t>(area.y), static_cast<uint16_t>(area.width),
                                                 static_cast<uint16_t>(area.height), ~0u, XCB_IMAGE_FORMAT_Z_PIXMAP,
                                                 segment_, static_cast<uint32_t>(used)),
                               area, used});
            used += bytes;
        }
        collect();
    } catch (const std::runtime_error&) {
        // A screen that shrank between follow_size() and the server's reading
        // refuses the areas beyond its new edge (BadMatch), even when it has grown
        // back by the time we could ask: the caller decides how often that may be.
        if (xcb_connection_has_error(connection_) == 0) return false;
        throw;
    }
    return true;
}

}  // namespace tether::x11
