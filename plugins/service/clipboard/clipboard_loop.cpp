#include "clipboard_loop.h"

#include <tether/plugin.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xcb/xfixes.h>

#include <algorithm>
#include <stdexcept>

namespace tether::clipboard {

ClipboardLoop::ClipboardLoop(const ClipboardSettings& settings, Publish publish)
    : display_(settings.display),
      publish_(std::move(publish)),
      reader_(display_, settings.max_bytes,
              [this](xcb_atom_t selection, std::string utf8) { read(selection, std::move(utf8)); }),
      owner_(display_) {
    display_.watch(display_.atoms().clipboard);
    if (settings.primary) display_.watch(display_.atoms().primary);
    thread_ = std::thread([this] {
        try {
            run();
        } catch (const std::exception& e) {  // out of memory for a text, say: the host goes on without the clipboard
            log(TETHER_LOG_ERROR, factory_name, std::string("the clipboard stopped: ") + e.what());
        }
    });
}

ClipboardLoop::~ClipboardLoop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.wake();
    thread_.join();
}

void ClipboardLoop::offer(Selection selection, std::string utf8) {
    {
        const std::lock_guard lock(mutex_);
        offers_[selection] = std::move(utf8);
    }
    wakeup_.wake();
}

ClipboardLoop::Wakeup::Wakeup() : fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (fd_ < 0) throw std::runtime_error("cannot make an eventfd to wake the clipboard thread");
}

ClipboardLoop::Wakeup::~Wakeup() { close(fd_); }

void ClipboardLoop::Wakeup::wake() const {
    const uint64_t one = 1;
    // A full counter wakes the thread already: nothing to do when the write fails.
    [[maybe_unused]] const ssize_t written = write(fd_, &one, sizeof one);
}

void ClipboardLoop::Wakeup::reset() const {
    uint64_t count = 0;
    // Nonblocking: an unwoken counter just answers EAGAIN.
    [[maybe_unused]] const ssize_t got = ::read(fd_, &count, sizeof count);
}

void ClipboardLoop::run() {
    xcb_connection_t* c = display_.connection();
    for (;;) {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        take_offers();
        // Also the events that came in while we waited for a reply.
        while (const auto event = owned(xcb_poll_for_event(c))) dispatch(*event);
        const auto now = SelectionReader::Clock::now();
        reader_.expire(now);
        owner_.expire(now);
        xcb_flush(c);
        if (xcb_connection_has_error(c) != 0) {
            log(TETHER_LOG_ERROR, factory_name,
                "lost the connection to X display " + display_.name() + ": the clipboard is no longer shared");
            return;
        }
        pollfd fds[] = {{xcb_get_file_descriptor(c), POLLIN, 0}, {wakeup_.fd(), POLLIN, 0}};
        poll(fds, 2, poll_timeout_ms());
        wakeup_.reset();
    }
}

int ClipboardLoop::poll_timeout_ms() const {
    const auto reading = reader_.next_deadline();
    const auto sending = owner_.next_deadline();
    if (!reading && !sending) return -1;
    const auto next = reading && sending ? std::min(*reading, *sending) : reading ? *reading : *sending;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(next - SelectionReader::Clock::now());
    return static_cast<int>(std::max<int64_t>(left.count(), 0));
}

void ClipboardLoop::take_offers() {
    std::map<Selection, std::string> offers;
    {
        const std::lock_guard lock(mutex_);
        offers.swap(offers_);
    }
    for (auto& [selection, utf8] : offers) {
        const Atoms& atoms = display_.atoms();
        const xcb_atom_t atom = selection == Selection::clipboard ? atoms.clipboard : atoms.primary;
        last_[atom] = utf8;  // so that the host copying it back is not sent again
        owner_.offer(atom, std::move(utf8));
    }
}

void ClipboardLoop::dispatch(const xcb_generic_event_t& event) {
    const uint8_t type = event.response_type & 0x7f;
    if (type == display_.xfixes_first_event() + XCB_XFIXES_SELECTION_NOTIFY) {
        const auto& change = reinterpret_cast<const xcb_xfixes_selection_notify_event_t&>(event);
        // We became owner ourselves with a viewer's text: nothing new to send.
        if (change.owner != XCB_NONE && change.owner != display_.window())
            reader_.owner_changed(change.selection, change.timestamp);
        return;
    }
    switch (type) {
    case XCB_SELECTION_NOTIFY:
        return reader_.on_selection_notify(reinterpret_cast<const xcb_selection_notify_event_t&>(event));
    case XCB_PROPERTY_NOTIFY: {
        const auto& change = reinterpret_cast<const xcb_property_notify_event_t&>(event);
        owner_.on_property_notify(change);
        return reader_.on_property_notify(change);
    }
    case XCB_SELECTION_REQUEST:
        return owner_.on_selection_request(reinterpret_cast<const xcb_selection_request_event_t&>(event));
    case XCB_SELECTION_CLEAR:
        return owner_.on_selection_clear(reinterpret_cast<const xcb_selection_clear_event_t&>(event));
    default:
        // Errors of requests nobody waits on (a requestor's window gone meanwhile): nothing to undo.
        return;
    }
}

void ClipboardLoop::read(xcb_atom_t selection, std::string utf8) {
    // The same text again (copied anew, or a viewer's text copied back) is not news to the viewers.
    if (const auto last = last_.find(selection); last != last_.end() && last->second == utf8) return;
    const std::string& text = last_[selection] = std::move(utf8);
    publish_(selection == display_.atoms().clipboard ? Selection::clipboard : Selection::primary, text);
}

}  // namespace tether::clipboard
