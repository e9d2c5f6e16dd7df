// Configuration files: TOML parsing, then every key's validation. A bad file
// must end in ConfigError; anything else escaping is a bug.
#include "core/config.h"
#include "memory_file.h"

using namespace tether;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::MemoryFile file("config");
    file.write({data, size});
    try {
        load_config({.system = "/nonexistent", .user = "/nonexistent", .explicit_file = file.path()});
    } catch (const ConfigError&) {
    }
    return 0;
}
