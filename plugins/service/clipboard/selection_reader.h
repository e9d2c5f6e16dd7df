// Reads the text another X client holds in a selection, as ICCCM has it:
// asks the owner to convert it (UTF8_STRING, else STRING or TEXT) into a
// property of our window, then reads that property, piece by piece (INCR)
// when the text is large. Driven by events, it never waits for an owner, and
// gives up on one that stops answering.
#pragma once

#include "clipboard_display.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace tether::clipboard {

class SelectionReader {
public:
    using Clock = std::chrono::steady_clock;
    // The selection's text, valid UTF-8 within the limit.
    using Done = std::function<void(xcb_atom_t selection, std::string utf8)>;

    SelectionReader(const ClipboardDisplay& display, size_t max_bytes, Done done);

    // `selection` has had another client as owner since `time`: read it, once
    // the read under way, if any, has ended.
    void owner_changed(xcb_atom_t selection, xcb_timestamp_t time);
    void on_selection_notify(const xcb_selection_notify_event_t& event);
    void on_property_notify(const xcb_property_notify_event_t& event);
    // Gives up on the reads whose owner has been silent since their deadline.
    void expire(Clock::time_point now);
    std::optional<Clock::time_point> next_deadline() const;

private:
    struct Read {
        xcb_timestamp_t time = 0;
        size_t target = 0;  // which of the targets, tried in turn, was asked for
        bool incremental = false;
        xcb_atom_t type = XCB_NONE;
        std::string bytes;
        Clock::time_point deadline;
        std::optional<xcb_timestamp_t> again;  // the owner changed during this read
    };

    void start(xcb_atom_t selection, xcb_timestamp_t time);
    void ask(xcb_atom_t selection, Read& read);
    void read_answer(xcb_atom_t selection, Read& read);
    // Appends the property's contents; false, with the property deleted, when they are unusable.
    bool take_property(xcb_atom_t selection, Read& read);
    void complete(xcb_atom_t selection, Read& read);
    void end(xcb_atom_t selection);
    std::string what(xcb_atom_t selection) const;

    const ClipboardDisplay& display_;
    size_t max_bytes_;
    Done done_;
    std::map<xcb_atom_t, Read> reads_;  // by selection; each converts into the property of its name
};

}  // namespace tether::clipboard
