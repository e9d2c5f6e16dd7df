#include "nat_pairs.h"

#include "context.h"

#include <algorithm>
#include <array>
#include <sstream>

namespace tether::cli {
namespace {

constexpr std::array<std::string_view, 4> kKinds = {"none", "cone", "sym", "block-udp"};

std::string known_kind(const std::string& kind, const std::string& item) {
    if (std::ranges::find(kKinds, kind) == kKinds.end())
        throw UsageError("--pairs " + item + ": no NAT kind \"" + kind + "\" (none, cone, sym or block-udp)");
    return kind;
}

}  // namespace

std::vector<NatPair> parse_nat_pairs(const std::string& text) {
    std::vector<NatPair> pairs;
    if (text == "all") {
        for (const auto host : kKinds)
            for (const auto viewer : kKinds) pairs.push_back({std::string(host), std::string(viewer)});
        return pairs;
    }
    std::istringstream items(text);
    for (std::string item; std::getline(items, item, ',');) {
        const size_t colon = item.find(':');
        if (colon == std::string::npos)
            throw UsageError("--pairs " + item + ": want HOST:VIEWER, such as cone:sym, or all");
        pairs.push_back({known_kind(item.substr(0, colon), item), known_kind(item.substr(colon + 1), item)});
    }
    if (pairs.empty()) throw UsageError("--pairs: no pair named");
    return pairs;
}

}  // namespace tether::cli
