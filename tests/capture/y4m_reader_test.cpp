// The .y4m reader reads what ffmpeg and hand-made files hold, and refuses
// malformed or hostile files with a message that names the file and the fault.
#include "capture_test_support.h"
#include "process.h"
#include "temp_dir.h"
#include "y4m_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace {

using tether::test::patterned_frames;
using tether::test::TempDir;
using tether::test::y4m_file;
using tether::y4m::Reader;

std::vector<std::vector<uint8_t>> read_all(Reader& reader) {
    std::vector<std::vector<uint8_t>> frames;
    std::vector<uint8_t> frame(reader.frame_bytes());
    while (reader.next(frame)) frames.push_back(frame);
    return frames;
}

// The message of the runtime_error that opening the file throws.
std::string open_error(const std::filesystem::path& file) {
    try {
        Reader reader(file);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(opened without error)";
}

std::string frame_error(const std::filesystem::path& file) {
    Reader reader(file);
    std::vector<uint8_t> frame(reader.frame_bytes());
    try {
        while (reader.next(frame)) {}
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(read to the end without error)";
}

TEST(Y4mReader, ReadsHeaderAndFramesOfAnOddSize) {
    TempDir dir;
    const auto frames = patterned_frames(35, 17, 3);
    const auto file = dir.write("odd.y4m", y4m_file("W35 H17 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG", frames));
    Reader reader(file);
    EXPECT_EQ(reader.header().width, 35u);
    EXPECT_EQ(reader.header().height, 17u);
    EXPECT_EQ(reader.header().fps_num, 30000u);
    EXPECT_EQ(reader.header().fps_den, 1001u);
    EXPECT_EQ(reader.frame_bytes(), 35u * 17 + 2 * (18 * 9));
    EXPECT_EQ(read_all(reader), frames);
}

TEST(Y4mReader, RewindStartsAgainFromTheFirstFrame) {
    TempDir dir;
    const auto frames = patterned_frames(8, 6, 4);
    Reader reader(dir.write("r.y4m", y4m_file("W8 H6 F25:1", frames)));
    std::vector<uint8_t> frame(reader.frame_bytes());
    ASSERT_TRUE(reader.next(frame));
    ASSERT_TRUE(reader.next(frame));
    reader.rewind();
    EXPECT_EQ(read_all(reader), frames);
    reader.rewind();
    EXPECT_EQ(read_all(reader), frames);
}

TEST(Y4mReader, AcceptsEverySpellingOf420AndFrameParameters) {
    TempDir dir;
    const auto frames = patterned_frames(4, 4, 1);
    for (const std::string c : {"", " C420", " C420jpeg", " C420mpeg2", " C420paldv"}) {
        Reader reader(dir.write("c.y4m", y4m_file("W4 H4 F1:1" + c, frames)));
        EXPECT_EQ(read_all(reader), frames) << c;
    }
    std::string with_params = "YUV4MPEG2 W4 H4 F1:1\nFRAME Ip XFRAME=1\n";
    with_params.append(frames[0].begin(), frames[0].end());
    Reader reader(dir.write("p.y4m", with_params));
    EXPECT_EQ(read_all(reader), frames);
}

TEST(Y4mReader, MatchesTheRawPixelsFfmpegWrites) {
    TempDir dir;
    const auto y4m = dir.path() / "src.y4m", raw = dir.path() / "src.yuv";
    const std::vector<std::string> source = {"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                                             "testsrc2=size=66x38:rate=30", "-frames:v", "5", "-pix_fmt", "yuv420p"};
    auto to_y4m = source, to_raw = source;
    to_y4m.push_back(y4m.string());
    to_raw.insert(to_raw.end(), {"-f", "rawvideo", raw.string()});
    ASSERT_EQ(tether::test::run_command(to_y4m).exit_code, 0);
    ASSERT_EQ(tether::test::run_command(to_raw).exit_code, 0);

    Reader reader(y4m);
    EXPECT_EQ(reader.header().width, 66u);
    EXPECT_EQ(reader.header().fps_num, 30u);
    std::vector<uint8_t> all;
    for (const auto& frame : read_all(reader)) all.insert(all.end(), frame.begin(), frame.end());
    std::ifstream in(raw, std::ios::binary);
    const std::vector<uint8_t> expected{std::istreambuf_iterator<char>(in), {}};
    EXPECT_EQ(all.size(), 5 * reader.frame_bytes());
    EXPECT_EQ(all, expected);
}

struct BadHeader {
    const char* name;
    std::string contents;
    const char* message;
};
void PrintTo(const BadHeader& h, std::ostream* os) { *os << h.name; }

class Y4mBadHeader : public testing::TestWithParam<BadHeader> {};

TEST_P(Y4mBadHeader, IsRefusedWithTheFileAndTheReason) {
    TempDir dir;
    const auto file = dir.write("bad.y4m", GetParam().contents);
    const std::string error = open_error(file);
    EXPECT_NE(error.find(file.string()), std::string::npos) << error;
    EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Headers, Y4mBadHeader,
    testing::Values(BadHeader{"Empty", "", "empty file"},
                    BadHeader{"NotY4m", "RIFF$WAVEfmt \n", "not a YUV4MPEG2 file"},
                    BadHeader{"SignatureRunsOn", "YUV4MPEG2X W4 H4 F1:1\n", "not a YUV4MPEG2 file"},
                    BadHeader{"NoWidth", "YUV4MPEG2 H4 F1:1\n", "no width"},
                    BadHeader{"NoHeight", "YUV4MPEG2 W4 F1:1\n", "no height"},
                    BadHeader{"NoRate", "YUV4MPEG2 W4 H4\n", "no frame rate"},
                    BadHeader{"ZeroWidth", "YUV4MPEG2 W0 H4 F1:1\n", "bad width 'W0'"},
                    BadHeader{"HugeWidth", "YUV4MPEG2 W16385 H4 F1:1\n", "bad width 'W16385'"},
                    BadHeader{"OverflowingHeight", "YUV4MPEG2 W4 H99999999999999999999 F1:1\n", "bad height"},
                    BadHeader{"NegativeHeight", "YUV4MPEG2 W4 H-4 F1:1\n", "bad height"},
                    BadHeader{"TextWidth", "YUV4MPEG2 W4x H4 F1:1\n", "bad width"},
                    BadHeader{"ZeroRate", "YUV4MPEG2 W4 H4 F0:1\n", "bad frame rate"},
                    BadHeader{"ZeroDenominator", "YUV4MPEG2 W4 H4 F30:0\n", "bad frame rate"},
                    BadHeader{"RateWithoutColon", "YUV4MPEG2 W4 H4 F30\n", "bad frame rate"},
                    BadHeader{"Yuv444", "YUV4MPEG2 W4 H4 F1:1 C444\n", "unsupported colourspace 'C444'"},
                    BadHeader{"TenBit", "YUV4MPEG2 W4 H4 F1:1 C420p10\n", "unsupported colourspace 'C420p10'"},
                    BadHeader{"Mono", "YUV4MPEG2 W4 H4 F1:1 Cmono\n", "unsupported colourspace 'Cmono'"},
                    BadHeader{"Unterminated", "YUV4MPEG2 W4 H4 F1:1", "not terminated"},
                    BadHeader{"EndlessHeader", "YUV4MPEG2 W4 H4 F1:1 X" + std::string(10000, 'a') + "\n",
                              "longer than 4096 bytes"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Y4mReader, MissingFileAndDirectoryAreNamed) {
    TempDir dir;
    const std::string missing = open_error(dir.path() / "absent.y4m");
    EXPECT_NE(missing.find("absent.y4m: cannot open: No such file"), std::string::npos) << missing;
    const std::string folder = open_error(dir.path());
    EXPECT_NE(folder.find("is a directory"), std::string::npos) << folder;
}

TEST(Y4mReader, TruncatedFrameIsAnErrorAfterTheGoodOnes) {
    TempDir dir;
    std::string contents = y4m_file("W8 H8 F1:1", patterned_frames(8, 8, 2));
    contents.resize(contents.size() - 10);
    const std::string error = frame_error(dir.write("t.y4m", contents));
    EXPECT_NE(error.find("frame 1 truncated: 86 of 96 bytes"), std::string::npos) << error;
}

TEST(Y4mReader, BadFrameHeadersAreErrors) {
    TempDir dir;
    const std::string header = "YUV4MPEG2 W2 H2 F1:1\n";
    EXPECT_NE(frame_error(dir.write("a.y4m", header + "FRAMES\n123456")).find("frame 0: expected a FRAME line"),
              std::string::npos);
    EXPECT_NE(frame_error(dir.write("b.y4m", header + "garbage")).find("frame 0: truncated header"),
              std::string::npos);
    EXPECT_NE(frame_error(dir.write("c.y4m", header + "FRAME " + std::string(5000, 'x')))
                  .find("frame 0: header longer than 1024 bytes"),
              std::string::npos);
}

TEST(Y4mReader, WrongBufferSizeIsRefused) {
    TempDir dir;
    Reader reader(dir.write("s.y4m", y4m_file("W4 H4 F1:1", patterned_frames(4, 4, 1))));
    std::vector<uint8_t> small(reader.frame_bytes() - 1);
    EXPECT_THROW(reader.next(small), std::runtime_error);
}

}  // namespace
