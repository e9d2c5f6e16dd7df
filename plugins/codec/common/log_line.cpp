#include "log_line.h"

#include <cstdio>

namespace tether::codec {

std::string log_line(const char* format, va_list args) {
    char line[512];
    std::vsnprintf(line, sizeof line, format, args);
    std::string text(line);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

}  // namespace tether::codec
