// Rectangles of a screen that changed, as few as reading and encoding them
// wants: the geometry alone, without X.
#pragma once

#include <tether/plugin.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tether::x11 {

// At most this many rectangles for one picture; more become their bounding box.
inline constexpr size_t max_damage_rects = 64;

// The part of `a` inside `b`; nullopt when they do not meet.
std::optional<tether_rect> intersection(const tether_rect& a, const tether_rect& b);
bool contains(const tether_rect& outer, const tether_rect& inner);

// `changed` clipped to `bounds`, with overlapping rectangles and ones close
// enough that reading the pixels between costs less than another rectangle
// merged, no more than max_damage_rects of them, none overlapping another.
std::vector<tether_rect> simplify_damage(std::span<const tether_rect> changed, const tether_rect& bounds);

}  // namespace tether::x11
