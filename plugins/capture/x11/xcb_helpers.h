// Small things every part of the capture does with XCB: replies as owned
// values, how far a reply's bytes go (the server sets the counts inside a
// reply, so a reader checks them against its length), whether the server has
// an extension.
#pragma once

#include <xcb/xcb.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace tether::x11 {

template <typename Reply>
using Owned = std::unique_ptr<Reply, decltype(&std::free)>;

template <typename Reply>
Owned<Reply> owned(Reply* reply) {
    return Owned<Reply>(reply, &std::free);
}

// The reply to `cookie`, or a std::runtime_error naming what was asked
// (`what`) and why it did not come: the server's error, or a lost connection.
template <typename Reply, typename Cookie>
Owned<Reply> answer(xcb_connection_t* connection, Reply* (*get)(xcb_connection_t*, Cookie, xcb_generic_error_t**),
                    Cookie cookie, const char* what) {
    xcb_generic_error_t* error = nullptr;
    Owned<Reply> reply = owned(get(connection, cookie, &error));
    if (reply) return reply;
    const std::string why = error != nullptr ? "X error " + std::to_string(error->error_code) + " (request " +
                                                   std::to_string(error->major_code) + "." +
                                                   std::to_string(error->minor_code) + ")"
                                             : "the X display went away";
    std::free(error);
    throw std::runtime_error(std::string(what) + ": " + why);
}

// One past the last byte of a reply: 32 bytes, then `length` 4-byte words.
template <typename Reply>
const uint8_t* reply_end(const Reply* reply) {
    return reinterpret_cast<const uint8_t*>(reply) + 32 + size_t{reply->length} * 4;
}

// A request of an extension the server lacks would close the connection: ask first.
inline bool present(xcb_connection_t* connection, xcb_extension_t* extension) {
    const xcb_query_extension_reply_t* reply = xcb_get_extension_data(connection, extension);
    return reply != nullptr && reply->present != 0;
}

}  // namespace tether::x11
