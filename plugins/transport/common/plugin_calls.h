// Entry points of a transport's ABI table that cannot report an error
// (close, start) log what the C++ inside throws instead of letting it out.
#pragma once

#include <tether/plugin.hpp>

#include <string>

namespace tether::transport {

template <typename Body>
void logged(const char* plugin, const char* call, Body&& body) noexcept {
    try {
        body();
    } catch (const std::exception& e) {
        tether::log(TETHER_LOG_ERROR, plugin, std::string(call) + ": " + e.what());
    } catch (...) {
        tether::log(TETHER_LOG_ERROR, plugin, std::string(call) + ": unknown error");
    }
}

}  // namespace tether::transport
