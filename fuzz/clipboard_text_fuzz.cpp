// Clipboard text from X clients and viewers (plugins/service/clipboard/utf8_text):
// whatever the bytes, the repaired text is UTF-8 by the host's own check,
// repairing it again changes nothing, and Latin-1 survives the round trip.
#include "core/message_text.h"
#include "utf8_text.h"

#include <cstdlib>
#include <string_view>

using namespace tether;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::string repaired = clipboard::repaired_utf8(bytes);
    if (!is_utf8(repaired) || clipboard::repaired_utf8(repaired) != repaired) std::abort();
    if (is_utf8(bytes) && repaired != bytes) std::abort();
    if (clipboard::latin1_from_utf8(clipboard::utf8_from_latin1(bytes)) != std::string(bytes)) std::abort();
    return 0;
}
