// capture-file plays a .y4m file through the registry like the host does.
#include "capture_test_support.h"
#include "core/host_api.h"
#include "core/plugin_objects.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

namespace {

using tether::CaptureSource;
using tether::test::patterned_frames;
using tether::test::TempDir;
using tether::test::y4m_file;

CaptureSource file_source(const std::filesystem::path& file, uint32_t width = 0, uint32_t height = 0) {
    const std::string path = file.string();
    tether_capture_config config{sizeof(config), width, height, 30, path.c_str(), 0};
    return CaptureSource(tether::test::capture_factory("file"), config);
}

std::string creation_error(const char* source, uint32_t width = 0, uint32_t height = 0) {
    tether_capture_config config{sizeof(config), width, height, 30, source, 0};
    try {
        CaptureSource capture(tether::test::capture_factory("file"), config);
    } catch (const tether::PluginError& e) {
        return e.what();
    }
    return "(created without error)";
}

TEST(FileCapture, ProbesOkWithoutAFile) {
    EXPECT_TRUE(tether::probe(tether::test::capture_factory("file")).ok);
}

TEST(FileCapture, PlaysTheFramesInOrderThenEnds) {
    TempDir dir;
    const auto frames = patterned_frames(34, 18, 3);
    const auto file = dir.write("clip.y4m", y4m_file("W34 H18 F30:1 C420jpeg", frames));
    CaptureSource source = file_source(file);
    for (uint64_t n = 0; n < frames.size(); ++n) {
        const int64_t before = tether::now_us();
        auto frame = source.grab();
        ASSERT_TRUE(frame.has_value()) << "frame " << n;
        EXPECT_EQ(frame->raw.format, uint32_t{TETHER_PIXEL_I420});
        EXPECT_EQ(frame->width(), 34u);
        EXPECT_EQ(frame->height(), 18u);
        EXPECT_EQ(frame->raw.frame_number, n);
        EXPECT_GE(frame->raw.capture_time_us, before);
        EXPECT_EQ(tether::test::i420_bytes(frame->raw), frames[n]);
    }
    EXPECT_FALSE(source.grab().has_value());
}

TEST(FileCapture, MatchingConfiguredSizeIsAccepted) {
    TempDir dir;
    const auto file = dir.write("clip.y4m", y4m_file("W34 H18 F30:1", patterned_frames(34, 18, 1)));
    CaptureSource source = file_source(file, 34, 18);
    EXPECT_TRUE(source.grab().has_value());
}

TEST(FileCapture, SizeMismatchIsRefusedNamingBothSizes) {
    TempDir dir;
    const auto file = dir.write("clip.y4m", y4m_file("W34 H18 F30:1", patterned_frames(34, 18, 1)));
    const std::string error = creation_error(file.c_str(), 1920, 1080);
    EXPECT_NE(error.find("1920x1080"), std::string::npos) << error;
    EXPECT_NE(error.find("34x18"), std::string::npos) << error;
}

TEST(FileCapture, TruncatedFileIsAnErrorAfterTheGoodFrames) {
    TempDir dir;
    std::string contents = y4m_file("W34 H18 F30:1", patterned_frames(34, 18, 2));
    contents.resize(contents.size() - 100);
    CaptureSource source = file_source(dir.write("cut.y4m", contents));
    ASSERT_TRUE(source.grab().has_value());
    try {
        source.grab();
        ADD_FAILURE() << "the truncated frame was delivered";
    } catch (const tether::PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("cut.y4m: frame 1 truncated"), std::string::npos) << e.what();
    }
}

TEST(FileCapture, BadSourcesAreClearErrors) {
    TempDir dir;
    EXPECT_NE(creation_error(nullptr).find("needs a source"), std::string::npos);
    EXPECT_NE(creation_error("").find("needs a source"), std::string::npos);
    const auto missing = (dir.path() / "absent.y4m").string();
    EXPECT_NE(creation_error(missing.c_str()).find(missing + ": cannot open"), std::string::npos);
    const auto wrong = dir.write("444.y4m", "YUV4MPEG2 W4 H4 F1:1 C444\n");
    EXPECT_NE(creation_error(wrong.c_str()).find("unsupported colourspace 'C444'"), std::string::npos);
}

}  // namespace
