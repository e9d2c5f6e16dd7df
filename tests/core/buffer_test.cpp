// Host buffers are freed exactly when the last reference goes, whoever holds it.
#include "core/host_api.h"
#include "core/media.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

TEST(Buffer, LastReferenceFrees) {
    const size_t before = live_buffer_count();
    {
        BufferRef a = BufferRef::allocate(100);
        EXPECT_EQ(a.size(), 100u);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % 64, 0u);  // aligned for SIMD
        BufferRef b = a;                                           // a second owner
        host_api()->buffer_ref(a.get());                           // a plugin keeps one too
        EXPECT_EQ(live_buffer_count(), before + 1);
        host_api()->buffer_unref(a.get());
        a = BufferRef();
        EXPECT_EQ(live_buffer_count(), before + 1);  // b still holds it
    }
    EXPECT_EQ(live_buffer_count(), before);
}

TEST(Buffer, ResizeStaysWithinCapacity) {
    BufferRef b = BufferRef::allocate(10);
    b.resize(4);
    EXPECT_EQ(b.size(), 4u);
    EXPECT_THROW(b.resize(11), std::length_error);
}

TEST(Buffer, I420FrameLayout) {
    const VideoFrame f = VideoFrame::allocate_i420(33, 17);  // odd sizes round chroma up
    EXPECT_EQ(f.raw.strides[0], 33u);
    EXPECT_EQ(f.raw.strides[1], 17u);
    EXPECT_EQ(f.raw.planes[1] - f.raw.planes[0], 33 * 17);
    EXPECT_EQ(f.raw.planes[2] - f.raw.planes[1], 17 * 9);
    EXPECT_EQ(f.buffer.size(), size_t{33 * 17 + 2 * 17 * 9});
}

}  // namespace
}  // namespace tether
