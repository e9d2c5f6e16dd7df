#include "window/letterbox.h"

#include <gtest/gtest.h>

namespace tether::window {
namespace {

TEST(Letterbox, AWiderWindowHasBarsLeftAndRight) {
    const Letterbox box(1920, 1080, 1000, 540);
    EXPECT_EQ(box.picture().x, 20);
    EXPECT_EQ(box.picture().y, 0);
    EXPECT_EQ(box.picture().w, 960);
    EXPECT_EQ(box.picture().h, 540);
}

TEST(Letterbox, ATallerWindowHasBarsAboveAndBelow) {
    const Letterbox box(1920, 1080, 960, 740);
    EXPECT_EQ(box.picture().x, 0);
    EXPECT_EQ(box.picture().y, 100);
    EXPECT_EQ(box.picture().h, 540);
}

TEST(Letterbox, WindowPointsMapToHostPixelsAndBarsClampToTheEdge) {
    const Letterbox box(1920, 1080, 1000, 540);
    EXPECT_EQ(box.to_host({20, 0}).x, 0);
    EXPECT_EQ(box.to_host({500, 270}).x, 960);
    EXPECT_EQ(box.to_host({500, 270}).y, 540);
    EXPECT_EQ(box.to_host({0, -5}).x, 0);      // left bar, above the window
    EXPECT_EQ(box.to_host({0, -5}).y, 0);
    EXPECT_EQ(box.to_host({999, 539}).x, 1919);  // right bar
    EXPECT_EQ(box.to_window({960, 540}).x, 500);
    EXPECT_FALSE(box.contains({10, 10}));
    EXPECT_TRUE(box.contains({20, 0}));
}

TEST(Letterbox, AHostileCursorPositionDoesNotOverflow) {
    const Letterbox box(1920, 1080, 1000, 540);
    EXPECT_LE(box.to_window({INT32_MAX, INT32_MIN}).x, 2 * 1000);
    EXPECT_GE(box.to_window({INT32_MAX, INT32_MIN}).y, -540);
}

TEST(Letterbox, NoPictureYetMapsNothing) {
    const Letterbox box;
    EXPECT_EQ(box.picture().w, 0);
    EXPECT_EQ(box.to_host({5, 5}).x, 0);
}

}  // namespace
}  // namespace tether::window
