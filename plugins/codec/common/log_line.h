// A library's printf-style log message as one line of text.
#pragma once

#include <cstdarg>
#include <string>

namespace tether::codec {

// The message formatted (at most a few hundred characters), without its trailing newlines.
std::string log_line(const char* format, va_list args);

}  // namespace tether::codec
