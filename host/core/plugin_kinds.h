// What the host knows about each kind of plugin, in one table: its name, how
// much of its function table ABI 1.0 requires, which functions must be there,
// and where the functions every kind has (probe, get_extension) sit.
#pragma once

#include <tether/plugin.h>

#include <cstddef>

namespace tether {

using ProbeFn = int (*)(const tether_host_api*, tether_error*);
using ObjectExtensionFn = const void* (*)(void* object, const char* id);

struct KindTraits {
    tether_kind kind;
    const char* name;
    size_t table_size_1_0;  // a smaller table is refused
    // Why a table of at least table_size_1_0 bytes cannot be used (a 1.0 function
    // or name missing), or null when it can.
    const char* (*incomplete)(const void* table);
    ProbeFn (*probe)(const void* table);
    // ABI 1.2: the per-object extension lookup, or null when the table is older or leaves it out.
    ObjectExtensionFn (*object_extension)(const void* table);
};

// Null for a kind this host does not know.
const KindTraits* traits_of(uint32_t kind);

}  // namespace tether
