// The host's cursor drawn over the picture, into a software renderer (no display needed).
#include "window/remote_cursor.h"

#include <gtest/gtest.h>

namespace tether::window {
namespace {

class RemoteCursorTest : public testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(surface_) << SDL_GetError();
        ASSERT_TRUE(renderer_) << SDL_GetError();
    }

    // An opaque red square of `side` pixels as the host sends it (BGRA).
    static proto::CursorShape red_square(uint64_t serial, uint32_t side, int hot) {
        proto::CursorShape shape;
        shape.set_serial(serial);
        shape.set_width(side);
        shape.set_height(side);
        shape.set_hot_x(hot);
        shape.set_hot_y(hot);
        std::string bgra;
        for (uint32_t i = 0; i < side * side; ++i) bgra += std::string("\x00\x00\xff\xff", 4);
        shape.set_bgra(bgra);
        return shape;
    }
    static proto::CursorPosition at(int x, int y, uint64_t serial, bool visible = true) {
        proto::CursorPosition position;
        position.set_x(x);
        position.set_y(y);
        position.set_shape_serial(serial);
        position.set_visible(visible);
        return position;
    }
    // Draws the cursor on black; whether the pixel at (x, y) came out red.
    bool red_at(int x, int y) {
        cursor_.update(renderer_.get());
        SDL_SetRenderDrawColor(renderer_.get(), 0, 0, 0, 255);
        SDL_RenderClear(renderer_.get());
        cursor_.draw(renderer_.get(), box_);
        SDL_RenderPresent(renderer_.get());
        Uint8 r = 0, g = 0, b = 0;
        const auto* row = static_cast<const uint8_t*>(surface_->pixels) + y * surface_->pitch;
        SDL_GetRGB(reinterpret_cast<const Uint32*>(row)[x], surface_->format, &r, &g, &b);
        return r > 200 && g < 50 && b < 50;
    }

    SurfaceHandle surface_{SDL_CreateRGBSurfaceWithFormat(0, 200, 100, 32, SDL_PIXELFORMAT_ARGB8888)};
    RendererHandle renderer_{surface_ ? SDL_CreateSoftwareRenderer(surface_.get()) : nullptr};
    const Letterbox box_{100, 100, 200, 100};  // a 100x100 picture between bars 50 wide
    RemoteCursor cursor_;
};

TEST_F(RemoteCursorTest, TheShapeIsDrawnWithItsHotSpotAtTheMappedPosition) {
    cursor_.shape_arrived(red_square(7, 8, 2));
    cursor_.position_arrived(at(20, 30, 7));
    EXPECT_TRUE(red_at(50 + 20 - 2, 30 - 2));
    EXPECT_TRUE(red_at(50 + 20 + 5, 30 + 5));
    EXPECT_FALSE(red_at(50 + 20 - 3, 30));
    EXPECT_TRUE(cursor_.shown());
}

TEST_F(RemoteCursorTest, AnUnknownShapeOrAHiddenCursorIsNotDrawn) {
    cursor_.shape_arrived(red_square(7, 8, 0));
    cursor_.position_arrived(at(20, 30, 8));
    EXPECT_FALSE(red_at(70, 30));
    EXPECT_FALSE(cursor_.shown());
    cursor_.position_arrived(at(20, 30, 7, false));
    EXPECT_FALSE(red_at(70, 30));
}

TEST_F(RemoteCursorTest, AnEarlierShapeIsDrawnAgainByItsSerial) {
    cursor_.shape_arrived(red_square(1, 4, 0));
    cursor_.shape_arrived(red_square(2, 4, 0));
    cursor_.position_arrived(at(10, 10, 1));
    EXPECT_TRUE(red_at(60, 10));
}

TEST_F(RemoteCursorTest, ItStaysOffTheBarsAndHostileNumbersDoNotBreakIt) {
    cursor_.shape_arrived(red_square(1, 8, -1000));  // a hot spot off the image is kept on its edge
    cursor_.position_arrived(at(0, 50, 1));
    EXPECT_TRUE(red_at(50, 50));
    EXPECT_FALSE(red_at(49, 50));  // the bar
    cursor_.position_arrived(at(INT32_MAX, INT32_MIN, 1));
    EXPECT_FALSE(red_at(100, 50));
}

}  // namespace
}  // namespace tether::window
