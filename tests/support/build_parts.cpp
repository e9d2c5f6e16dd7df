#include "build_parts.h"

#include "core/message_text.h"

#include <algorithm>
#include <stdexcept>

namespace tether::test {
namespace {

struct Part {
    std::string_view name;
    std::string_view left_out_because;  // empty: built
};

#include "build_parts.inc"

const Part& part_named(std::string_view name) {
    if (name == kPngOutput.name) return kPngOutput;
    if (name == kViewerWindow.name) return kViewerWindow;
    const auto plugin = std::ranges::find(kPlugins, name, &Part::name);
    if (plugin == kPlugins.end()) throw std::invalid_argument("this project has no part called " + std::string(name));
    return *plugin;
}

}  // namespace

std::string left_out(const Parts& parts) {
    std::vector<std::string> missing;
    for (const std::string_view name : parts) {
        const Part& part = part_named(name);
        if (!part.left_out_because.empty())
            missing.push_back(std::string(name) + " (" + std::string(part.left_out_because) + ")");
    }
    return missing.empty() ? "" : "needs what this build leaves out: " + join_names(missing);
}

bool built(std::string_view part) { return part_named(part).left_out_because.empty(); }

Parts plugins_built() {
    Parts names;
    for (const Part& plugin : kPlugins)
        if (plugin.left_out_because.empty()) names.push_back(plugin.name);
    return names;
}

}  // namespace tether::test
