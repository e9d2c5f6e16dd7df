#include "config_suggest.h"

#include <algorithm>
#include <numeric>

namespace tether {
namespace {

// Edits (insert, delete, substitute, swap two neighbours) that turn a into b.
// Swaps count once because transposed letters are the commonest typo.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    std::iota(d[0].begin(), d[0].end(), size_t{0});
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t substitute = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, substitute});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

std::string_view last_segment(std::string_view name) {
    const size_t dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    // Words are bounded by the config reader; this keeps a hostile one from costing much.
    constexpr size_t longest_compared = 256;
    if (word.size() > longest_compared) return {};

    const std::string* best = nullptr;
    size_t best_distance = std::max<size_t>(1, word.size() / 3);  // more edits than this is not a typo
    for (const std::string& candidate : candidates) {
        const size_t distance = edit_distance(word, candidate);
        if (distance <= best_distance && (!best || distance < best_distance)) {
            best = &candidate;
            best_distance = distance;
        }
    }
    if (!best) {
        const auto same_leaf = std::ranges::find_if(candidates, [&](const std::string& candidate) {
            return last_segment(candidate) == last_segment(word);
        });
        if (same_leaf != candidates.end()) best = &*same_leaf;
    }
    return best ? " (did you mean '" + *best + "'?)" : std::string();
}

}  // namespace tether
