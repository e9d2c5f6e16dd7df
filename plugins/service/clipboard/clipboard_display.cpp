#include "clipboard_display.h"

#include <xcb/xfixes.h>

#include <cstring>
#include <stdexcept>

namespace tether::clipboard {
namespace {

constexpr size_t change_property_header = 24;

}  // namespace

ClipboardDisplay::ClipboardDisplay(const std::string& name) {
    const char* env = std::getenv("DISPLAY");
    name_ = !name.empty() ? name : env != nullptr ? env : "";
    if (name_.empty()) throw std::runtime_error("no X display: neither the display setting nor $DISPLAY is set");
    int screen_number = 0;
    connection_.reset(xcb_connect(name_.c_str(), &screen_number));
    if (xcb_connection_has_error(connection()) != 0) throw std::runtime_error("cannot open X display " + name_);
    xcb_connection_t* c = connection();
    const xcb_query_extension_reply_t* xfixes = xcb_get_extension_data(c, &xcb_xfixes_id);
    // Selection events need XFixes 1.0; the version must be asked before any XFixes request.
    const auto version = xfixes != nullptr && xfixes->present != 0
                             ? owned(xcb_xfixes_query_version_reply(
                                   c, xcb_xfixes_query_version(c, 1, 0), nullptr))
                             : owned<xcb_xfixes_query_version_reply_t>(nullptr);
    if (!version)
        throw std::runtime_error("the X server " + name_ + " offers no XFIXES, which clipboard sharing needs");
    xfixes_first_event_ = xfixes->first_event;
    const xcb_setup_t* setup = xcb_get_setup(c);
    max_chunk_ = size_t{setup->maximum_request_length} * 4 - change_property_header;
    xcb_screen_iterator_t screens = xcb_setup_roots_iterator(setup);
    for (int i = 0; i < screen_number && screens.rem > 1; ++i) xcb_screen_next(&screens);

    window_ = xcb_generate_id(c);
    const uint32_t values[] = {1, XCB_EVENT_MASK_PROPERTY_CHANGE};
    xcb_create_window(c, XCB_COPY_FROM_PARENT, window_, screens.data->root, -10, -10, 1, 1, 0,
                      XCB_WINDOW_CLASS_INPUT_ONLY, XCB_COPY_FROM_PARENT,
                      XCB_CW_OVERRIDE_REDIRECT | XCB_CW_EVENT_MASK, values);
    atoms_ = Atoms{intern("CLIPBOARD"),   XCB_ATOM_PRIMARY, intern("TARGETS"),
                   intern("TIMESTAMP"),   intern("UTF8_STRING"), intern("TEXT"),
                   intern("text/plain;charset=utf-8"), intern("INCR"), intern("_TETHER_CLIPBOARD_STAMP")};
}

xcb_atom_t ClipboardDisplay::intern(const char* name) const {
    const auto reply = owned(xcb_intern_atom_reply(
        connection(), xcb_intern_atom(connection(), 0, static_cast<uint16_t>(std::strlen(name)), name), nullptr));
    if (!reply) throw std::runtime_error("the X display " + name_ + " went away");
    return reply->atom;
}

void ClipboardDisplay::watch(xcb_atom_t selection) const {
    // Only new owners: a selection whose owner went away has nothing to read.
    // Checked: once it returns, a copy made afterwards is heard.
    const auto error = owned(xcb_request_check(
        connection(), xcb_xfixes_select_selection_input_checked(connection(), window_, selection,
                                                                XCB_XFIXES_SELECTION_EVENT_MASK_SET_SELECTION_OWNER)));
    if (error || xcb_connection_has_error(connection()) != 0)
        throw std::runtime_error("the X server " + name_ + " refused to report selection changes");
}

}  // namespace tether::clipboard
