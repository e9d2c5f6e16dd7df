#include "damage_region.h"

#include <algorithm>

namespace tether::x11 {
namespace {

// Two rectangles are read as one when that reads at most this many pixels
// more than reading them apart: about what another request and another
// rectangle for the encoder cost.
constexpr uint64_t merge_slack_pixels = 64 * 64;
// A server's region can be thousands of rectangles: past this many the
// merging would cost more than it saves, and the bounding box is read.
constexpr size_t max_input_rects = 1024;

uint64_t area(const tether_rect& r) { return uint64_t{r.width} * r.height; }
int64_t right(const tether_rect& r) { return int64_t{r.x} + r.width; }
int64_t bottom(const tether_rect& r) { return int64_t{r.y} + r.height; }

tether_rect bounding(const tether_rect& a, const tether_rect& b) {
    const int64_t x = std::min(a.x, b.x), y = std::min(a.y, b.y);
    return {static_cast<int32_t>(x), static_cast<int32_t>(y), static_cast<uint32_t>(std::max(right(a), right(b)) - x),
            static_cast<uint32_t>(std::max(bottom(a), bottom(b)) - y)};
}

tether_rect bounding_box(std::span<const tether_rect> rects) {
    tether_rect all = rects.front();
    for (const tether_rect& r : rects) all = bounding(all, r);
    return all;
}

bool worth_merging(const tether_rect& a, const tether_rect& b) {
    return intersection(a, b) || area(bounding(a, b)) <= area(a) + area(b) + merge_slack_pixels;
}

}  // namespace

std::optional<tether_rect> intersection(const tether_rect& a, const tether_rect& b) {
    const int64_t x = std::max(a.x, b.x), y = std::max(a.y, b.y);
    const int64_t r = std::min(right(a), right(b)), btm = std::min(bottom(a), bottom(b));
    if (r <= x || btm <= y) return std::nullopt;
    return tether_rect{static_cast<int32_t>(x), static_cast<int32_t>(y), static_cast<uint32_t>(r - x),
                       static_cast<uint32_t>(btm - y)};
}

bool contains(const tether_rect& outer, const tether_rect& inner) {
    return inner.x >= outer.x && inner.y >= outer.y && right(inner) <= right(outer) && bottom(inner) <= bottom(outer);
}

std::vector<tether_rect> simplify_damage(std::span<const tether_rect> changed, const tether_rect& bounds) {
    std::vector<tether_rect> clipped;
    for (const tether_rect& raw : changed)
        if (const auto r = intersection(raw, bounds)) clipped.push_back(*r);
    if (clipped.size() > max_input_rects) return {bounding_box(clipped)};
    std::vector<tether_rect> merged;
    for (tether_rect r : clipped) {
        // Merging may make it meet another it did not: look again until none is worth it.
        for (auto near = merged.begin(); near != merged.end();) {
            if (worth_merging(*near, r)) {
                r = bounding(*near, r);
                merged.erase(near);
                near = merged.begin();
            } else {
                ++near;
            }
        }
        merged.push_back(r);
    }
    if (merged.size() > max_damage_rects) return {bounding_box(merged)};
    return merged;
}

}  // namespace tether::x11
