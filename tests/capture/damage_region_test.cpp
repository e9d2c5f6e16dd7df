// capture-x11's damage geometry: what the server says changed, merged into
// few rectangles inside the captured area.
#include "damage_region.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace tether::x11 {
namespace {

constexpr tether_rect screen{0, 0, 1920, 1080};

bool operator==(const tether_rect& a, const tether_rect& b) {
    return a.x == b.x && a.y == b.y && a.width == b.width && a.height == b.height;
}

void expect_disjoint(const std::vector<tether_rect>& rects) {
    for (size_t i = 0; i < rects.size(); ++i)
        for (size_t j = i + 1; j < rects.size(); ++j)
            EXPECT_FALSE(intersection(rects[i], rects[j])) << i << " and " << j << " overlap";
}

TEST(DamageRegion, OverlappingAndNearRectanglesBecomeOneAndFarOnesStayApart) {
    const std::vector<tether_rect> changed{{100, 100, 50, 50}, {120, 120, 50, 50},  // overlapping
                                           {172, 100, 10, 70},                       // 2 pixels to the right
                                           {1500, 900, 20, 20}};                     // far away
    const auto merged = simplify_damage(changed, screen);
    ASSERT_EQ(merged.size(), 2u);
    EXPECT_TRUE(merged[0] == (tether_rect{100, 100, 82, 70}));
    EXPECT_TRUE(merged[1] == (tether_rect{1500, 900, 20, 20}));
}

TEST(DamageRegion, RectanglesAreClippedToTheCapturedAreaAndThoseOutsideDropped) {
    const tether_rect monitor{960, 0, 960, 1080};
    const std::vector<tether_rect> changed{{900, 10, 100, 10}, {10, 10, 10, 10}, {1900, 1070, 100, 100}};
    const auto merged = simplify_damage(changed, monitor);
    ASSERT_EQ(merged.size(), 2u);
    EXPECT_TRUE(merged[0] == (tether_rect{960, 10, 40, 10}));
    EXPECT_TRUE(merged[1] == (tether_rect{1900, 1070, 20, 10}));
    EXPECT_TRUE(simplify_damage(std::vector<tether_rect>{{-50, -50, 40, 40}}, screen).empty());
}

TEST(DamageRegion, ManyScatteredRectanglesBecomeTheirBoundingBox) {
    // 12 by 6 squares, each far enough from the next that merging two would read more than it saves.
    std::vector<tether_rect> grid;
    for (int32_t i = 0; i < 12; ++i)
        for (int32_t j = 0; j < 6; ++j) grid.push_back({i * 160, j * 180, 64, 64});
    const auto merged = simplify_damage(grid, screen);
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_TRUE(merged[0] == (tether_rect{0, 0, 11 * 160 + 64, 5 * 180 + 64}));

    std::vector<tether_rect> few(grid.begin(), grid.begin() + 50);
    const auto kept = simplify_damage(few, screen);
    EXPECT_EQ(kept.size(), 50u);
    EXPECT_LE(kept.size(), max_damage_rects);
    expect_disjoint(kept);
}

TEST(DamageRegion, AServersThousandsOfRectanglesAndHostileValuesStayBounded) {
    std::vector<tether_rect> flood;
    for (int32_t i = 0; i < 5000; ++i) flood.push_back({(i * 37) % 1900, (i * 53) % 1060, 3, 3});
    const auto merged = simplify_damage(flood, screen);
    ASSERT_EQ(merged.size(), 1u);

    constexpr int32_t big = std::numeric_limits<int32_t>::max();
    constexpr uint32_t huge = std::numeric_limits<uint32_t>::max();
    const std::vector<tether_rect> hostile{{big - 1, big - 1, huge, huge}, {std::numeric_limits<int32_t>::min(), 0, huge, 5}};
    const auto clipped = simplify_damage(hostile, screen);
    ASSERT_EQ(clipped.size(), 1u);
    EXPECT_TRUE(clipped[0] == (tether_rect{0, 0, 1920, 5}));
}

TEST(DamageRegion, ChainsThatMeetOnlyAfterMergingEndDisjoint) {
    // A tall and a wide one that each miss the third until merged.
    const std::vector<tether_rect> changed{{0, 0, 200, 10}, {0, 300, 10, 10}, {190, 0, 10, 310}, {0, 0, 10, 300}};
    const auto merged = simplify_damage(changed, screen);
    expect_disjoint(merged);
    uint64_t area = 0;
    for (const auto& r : merged) area += uint64_t{r.width} * r.height;
    EXPECT_GE(area, 200u * 10 + 10 * 310 + 10 * 300 - 200);
}

}  // namespace
}  // namespace tether::x11
