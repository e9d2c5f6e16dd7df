// Holds the text viewers send as one of the host's selections, and hands it
// to the X clients that ask, as ICCCM has it: TARGETS, TIMESTAMP,
// UTF8_STRING, text/plain;charset=utf-8, TEXT (as UTF-8) and STRING when the
// text is all Latin-1; piece by piece (INCR) when larger than one request
// carries. Driven by events: a requestor that stops reading is dropped.
#pragma once

#include "clipboard_display.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tether::clipboard {

class SelectionOwner {
public:
    using Clock = std::chrono::steady_clock;

    explicit SelectionOwner(const ClipboardDisplay& display);

    // Owns `selection` with `utf8` (valid) as soon as the server tells us its time.
    void offer(xcb_atom_t selection, std::string utf8);
    void on_property_notify(const xcb_property_notify_event_t& event);
    void on_selection_request(const xcb_selection_request_event_t& event);
    void on_selection_clear(const xcb_selection_clear_event_t& event);
    // Drops the transfers whose requestor has not read since their deadline.
    void expire(Clock::time_point now);
    std::optional<Clock::time_point> next_deadline() const;

private:
    using Text = std::shared_ptr<const std::string>;
    struct Held {
        Text utf8;
        Text latin1;  // null when the text has characters past U+00FF
        xcb_timestamp_t since = 0;
    };
    struct Transfer {  // an INCR transfer: one piece each time the requestor deletes the property
        xcb_window_t requestor;
        xcb_atom_t property;
        xcb_atom_t type;
        Text data;
        size_t offset;
        Clock::time_point deadline;
    };

    void own(xcb_timestamp_t time);
    // Writes the answer to `target` into the requestor's property; false when there is none.
    bool answer(const xcb_selection_request_event_t& event, xcb_atom_t property, const Held& held);
    bool send(xcb_window_t requestor, xcb_atom_t property, xcb_atom_t type, const Text& data);
    void stop_listening(xcb_window_t requestor);

    const ClipboardDisplay& display_;
    std::map<xcb_atom_t, std::string> offered_;  // by selection, until the server's time comes
    std::map<xcb_atom_t, Held> held_;            // by selection
    std::vector<Transfer> transfers_;
};

}  // namespace tether::clipboard
