#include "selection_owner.h"

#include "clipboard_settings.h"
#include "utf8_text.h"

#include <tether/plugin.hpp>

#include <algorithm>
#include <cstring>

namespace tether::clipboard {
namespace {

using namespace std::chrono_literals;

// How long a requestor may take to read each piece of an INCR transfer.
constexpr auto requestor_timeout = 5s;
// INCR transfers under way at once; more requests for large texts are refused.
constexpr size_t max_transfers = 16;

}  // namespace

SelectionOwner::SelectionOwner(const ClipboardDisplay& display) : display_(display) {}

void SelectionOwner::offer(xcb_atom_t selection, std::string utf8) {
    offered_[selection] = std::move(utf8);
    // ICCCM wants the server's time on SetSelectionOwner, not CurrentTime: an
    // empty append to a property of ours gives a PropertyNotify that carries it.
    xcb_change_property(display_.connection(), XCB_PROP_MODE_APPEND, display_.window(), display_.atoms().stamp,
                        XCB_ATOM_INTEGER, 32, 0, nullptr);
}

void SelectionOwner::on_property_notify(const xcb_property_notify_event_t& event) {
    if (event.window == display_.window() && event.atom == display_.atoms().stamp) return own(event.time);
    if (event.state != XCB_PROPERTY_DELETE) return;
    const auto it = std::find_if(transfers_.begin(), transfers_.end(), [&](const Transfer& t) {
        return t.requestor == event.window && t.property == event.atom;
    });
    if (it == transfers_.end()) return;
    // The requestor took the last piece: the next, or the empty one that ends the transfer.
    const size_t size = std::min(display_.max_chunk(), it->data->size() - it->offset);
    xcb_change_property(display_.connection(), XCB_PROP_MODE_REPLACE, it->requestor, it->property, it->type, 8,
                        static_cast<uint32_t>(size), it->data->data() + it->offset);
    it->offset += size;
    it->deadline = Clock::now() + requestor_timeout;
    if (size == 0) {
        const xcb_window_t requestor = it->requestor;
        transfers_.erase(it);
        stop_listening(requestor);
    }
}

void SelectionOwner::own(xcb_timestamp_t time) {
    xcb_connection_t* c = display_.connection();
    for (auto& [selection, utf8] : offered_) {
        xcb_set_selection_owner(c, display_.window(), selection, time);
        const auto owner = owned(xcb_get_selection_owner_reply(c, xcb_get_selection_owner(c, selection), nullptr));
        if (!owner || owner->owner != display_.window()) {
            log(TETHER_LOG_WARN, factory_name,
                std::string("could not take the X ") + display_.name_of(selection) + " selection for a viewer's text");
            held_.erase(selection);
            continue;
        }
        auto latin1 = latin1_from_utf8(utf8);
        held_[selection] = Held{std::make_shared<const std::string>(std::move(utf8)),
                                latin1 ? std::make_shared<const std::string>(std::move(*latin1)) : nullptr, time};
    }
    offered_.clear();
}

void SelectionOwner::on_selection_request(const xcb_selection_request_event_t& event) {
    // ICCCM: a requestor that names no property is an old client that means the target's name.
    const xcb_atom_t property = event.property != XCB_NONE ? event.property : event.target;
    const auto held = held_.find(event.selection);
    // A request from before we owned the selection is not ours to answer.
    const bool ours = held != held_.end() && (event.time == XCB_CURRENT_TIME || event.time >= held->second.since);
    const bool answered = ours && answer(event, property, held->second);
    xcb_selection_notify_event_t notify{};
    notify.response_type = XCB_SELECTION_NOTIFY;
    notify.time = event.time;
    notify.requestor = event.requestor;
    notify.selection = event.selection;
    notify.target = event.target;
    notify.property = answered ? property : XCB_NONE;
    // SendEvent copies 32 bytes: the event is shorter.
    char wire[32] = {};
    std::memcpy(wire, &notify, sizeof notify);
    xcb_send_event(display_.connection(), 0, event.requestor, XCB_EVENT_MASK_NO_EVENT, wire);
}

bool SelectionOwner::answer(const xcb_selection_request_event_t& event, xcb_atom_t property, const Held& held) {
    const Atoms& atoms = display_.atoms();
    xcb_connection_t* c = display_.connection();
    if (event.target == atoms.targets) {
        std::vector<xcb_atom_t> targets{atoms.targets, atoms.timestamp, atoms.utf8_string, atoms.text_plain_utf8,
                                        atoms.text};
        if (held.latin1) targets.push_back(XCB_ATOM_STRING);
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, event.requestor, property, XCB_ATOM_ATOM, 32,
                            static_cast<uint32_t>(targets.size()), targets.data());
        return true;
    }
    if (event.target == atoms.timestamp) {
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, event.requestor, property, XCB_ATOM_INTEGER, 32, 1,
                            &held.since);
        return true;
    }
    if (event.target == atoms.utf8_string || event.target == atoms.text_plain_utf8)
        return send(event.requestor, property, event.target, held.utf8);
    if (event.target == atoms.text) return send(event.requestor, property, atoms.utf8_string, held.utf8);
    if (event.target == XCB_ATOM_STRING && held.latin1)
        return send(event.requestor, property, XCB_ATOM_STRING, held.latin1);
    return false;
}

bool SelectionOwner::send(xcb_window_t requestor, xcb_atom_t property, xcb_atom_t type, const Text& data) {
    xcb_connection_t* c = display_.connection();
    if (data->size() <= display_.max_chunk()) {
        xcb_change_property(c, XCB_PROP_MODE_REPLACE, requestor, property, type, 8, static_cast<uint32_t>(data->size()),
                            data->data());
        return true;
    }
    std::erase_if(transfers_, [&](const Transfer& t) { return t.requestor == requestor && t.property == property; });
    if (transfers_.size() >= max_transfers) return false;
    // Listening before the INCR property is written: its deletion starts the transfer.
    const uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
    xcb_change_window_attributes(c, requestor, XCB_CW_EVENT_MASK, &mask);
    const auto size = static_cast<uint32_t>(data->size());  // within max_bytes, at most 16 MiB
    xcb_change_property(c, XCB_PROP_MODE_REPLACE, requestor, property, display_.atoms().incr, 32, 1, &size);
    transfers_.push_back(Transfer{requestor, property, type, data, 0, Clock::now() + requestor_timeout});
    return true;
}

void SelectionOwner::stop_listening(xcb_window_t requestor) {
    if (std::any_of(transfers_.begin(), transfers_.end(), [&](const Transfer& t) { return t.requestor == requestor; }))
        return;
    const uint32_t none = XCB_EVENT_MASK_NO_EVENT;
    xcb_change_window_attributes(display_.connection(), requestor, XCB_CW_EVENT_MASK, &none);
}

void SelectionOwner::on_selection_clear(const xcb_selection_clear_event_t& event) {
    // Its time is the new owner's; an older one was for an ownership we have since taken again.
    const auto held = held_.find(event.selection);
    if (held != held_.end() && event.time >= held->second.since) held_.erase(held);
}

void SelectionOwner::expire(Clock::time_point now) {
    std::vector<xcb_window_t> dropped;
    std::erase_if(transfers_, [&](const Transfer& t) {
        if (t.deadline > now) return false;
        dropped.push_back(t.requestor);
        return true;
    });
    for (const xcb_window_t requestor : dropped) stop_listening(requestor);
}

std::optional<SelectionOwner::Clock::time_point> SelectionOwner::next_deadline() const {
    std::optional<Clock::time_point> next;
    for (const Transfer& t : transfers_)
        if (!next || t.deadline < *next) next = t.deadline;
    return next;
}

}  // namespace tether::clipboard
