#include "selection_reader.h"

#include "clipboard_settings.h"
#include "utf8_text.h"

#include <tether/plugin.hpp>

#include <array>
#include <vector>

namespace tether::clipboard {
namespace {

using namespace std::chrono_literals;

// How long an owner may take to answer each step before we stop waiting.
constexpr auto owner_timeout = 3s;

}  // namespace

SelectionReader::SelectionReader(const ClipboardDisplay& display, size_t max_bytes, Done done)
    : display_(display), max_bytes_(max_bytes), done_(std::move(done)) {}

void SelectionReader::owner_changed(xcb_atom_t selection, xcb_timestamp_t time) {
    // One read per selection at a time: answers to an older request would
    // land in the same property, so a newer owner waits for it to end.
    if (const auto it = reads_.find(selection); it != reads_.end())
        it->second.again = time;
    else
        start(selection, time);
}

void SelectionReader::start(xcb_atom_t selection, xcb_timestamp_t time) {
    Read& read = reads_[selection];
    read.time = time;
    ask(selection, read);
}

void SelectionReader::ask(xcb_atom_t selection, Read& read) {
    const Atoms& atoms = display_.atoms();
    const std::array targets{atoms.utf8_string, xcb_atom_t{XCB_ATOM_STRING}, atoms.text};
    if (read.target >= targets.size()) {
        log(TETHER_LOG_INFO, factory_name, "the owner of the X " + std::string(display_.name_of(selection)) +
                                               " selection offers it as no kind of text: not shared");
        return end(selection);
    }
    xcb_convert_selection(display_.connection(), display_.window(), selection, targets[read.target], selection,
                          read.time);
    read.deadline = Clock::now() + owner_timeout;
}

void SelectionReader::on_selection_notify(const xcb_selection_notify_event_t& event) {
    const auto it = reads_.find(event.selection);
    if (it == reads_.end() || event.requestor != display_.window() || it->second.incremental) return;
    if (event.property == XCB_NONE) {
        ++it->second.target;  // refused: the next target
        return ask(event.selection, it->second);
    }
    read_answer(event.selection, it->second);
}

void SelectionReader::read_answer(xcb_atom_t selection, Read& read) {
    xcb_connection_t* c = display_.connection();
    // Peeked without deleting: only INCR's size, or the whole text, is read.
    const auto head = owned(xcb_get_property_reply(
        c, xcb_get_property(c, 0, display_.window(), selection, XCB_GET_PROPERTY_TYPE_ANY, 0, 1), nullptr));
    if (!head) return end(selection);
    if (head->type != display_.atoms().incr) {
        if (take_property(selection, read)) complete(selection, read);
        return end(selection);
    }
    const size_t announced = head->format == 32 && xcb_get_property_value_length(head.get()) >= 4
                                 ? *static_cast<const uint32_t*>(xcb_get_property_value(head.get()))
                                 : 0;
    // Deleting the INCR property tells the owner to send the first piece.
    xcb_delete_property(c, display_.window(), selection);
    if (!within_limit(what(selection), announced, max_bytes_, true)) return end(selection);
    read.incremental = true;
    read.deadline = Clock::now() + owner_timeout;
}

void SelectionReader::on_property_notify(const xcb_property_notify_event_t& event) {
    const auto it = reads_.find(event.atom);
    if (it == reads_.end() || event.window != display_.window() || event.state != XCB_PROPERTY_NEW_VALUE ||
        !it->second.incremental)
        return;
    Read& read = it->second;
    const size_t before = read.bytes.size();
    if (!take_property(event.atom, read)) return end(event.atom);
    if (read.bytes.size() == before) {  // the empty piece: the end
        complete(event.atom, read);
        return end(event.atom);
    }
    read.deadline = Clock::now() + owner_timeout;
}

bool SelectionReader::take_property(xcb_atom_t selection, Read& read) {
    xcb_connection_t* c = display_.connection();
    // At most one word past what the limit leaves: anything longer is over it.
    const auto words = static_cast<uint32_t>((max_bytes_ - read.bytes.size()) / 4 + 1);
    const auto reply = owned(xcb_get_property_reply(
        c, xcb_get_property(c, 1, display_.window(), selection, XCB_GET_PROPERTY_TYPE_ANY, 0, words), nullptr));
    if (!reply) return false;
    const auto length = static_cast<size_t>(xcb_get_property_value_length(reply.get()));
    if (length == 0) return true;
    if (reply->bytes_after != 0) xcb_delete_property(c, display_.window(), selection);  // not deleted by the read
    if (reply->format != 8) {
        log(TETHER_LOG_INFO, factory_name, what(selection) + " came in " + std::to_string(reply->format) +
                                               "-bit units, which no text type uses: not shared");
        return false;
    }
    if (!within_limit(what(selection), read.bytes.size() + length + reply->bytes_after, max_bytes_,
                      read.incremental))
        return false;
    read.type = reply->type;
    read.bytes.append(static_cast<const char*>(xcb_get_property_value(reply.get())), length);
    return true;
}

void SelectionReader::complete(xcb_atom_t selection, Read& read) {
    if (read.type != display_.atoms().utf8_string && read.type != XCB_ATOM_STRING && !read.bytes.empty()) {
        log(TETHER_LOG_INFO, factory_name,
            what(selection) + " came in an encoding other than UTF-8 or Latin-1: not shared");
        return;
    }
    std::string text = read.type == XCB_ATOM_STRING ? utf8_from_latin1(read.bytes) : repaired_utf8(read.bytes);
    // Latin-1 and repairs can grow the text past the limit.
    if (within_limit(what(selection), text.size(), max_bytes_)) done_(selection, std::move(text));
}

void SelectionReader::end(xcb_atom_t selection) {
    const auto again = reads_[selection].again;
    reads_.erase(selection);
    if (again) start(selection, *again);
}

void SelectionReader::expire(Clock::time_point now) {
    std::vector<xcb_atom_t> silent;
    for (const auto& [selection, read] : reads_)
        if (read.deadline <= now) silent.push_back(selection);
    for (const xcb_atom_t selection : silent) {
        log(TETHER_LOG_INFO, factory_name, "the owner of the X " + std::string(display_.name_of(selection)) +
                                               " selection stopped answering: not shared");
        end(selection);
    }
}

std::optional<SelectionReader::Clock::time_point> SelectionReader::next_deadline() const {
    std::optional<Clock::time_point> next;
    for (const auto& [selection, read] : reads_)
        if (!next || read.deadline < *next) next = read.deadline;
    return next;
}

std::string SelectionReader::what(xcb_atom_t selection) const {
    return "the host's " + std::string(display_.name_of(selection)) + " text";
}

}  // namespace tether::clipboard
