// The chooser's rules, over real plugin files: a codec in a preference list
// stands for every factory of it, highest rank first; what does not fit is
// passed over before any probe runs; each probe runs once; and when nothing
// is usable, the error says why for each candidate. The prober here answers
// from a table: the real one (a child process per probe) is tested through
// `tether` in tests/cli/probe_isolation_test.cpp.
#include "core/plugin_chooser.h"
#include "core/probe_cache.h"
#include "core/temp_folder.h"

#include <gtest/gtest.h>

#include <map>

namespace tether {
namespace {

// The two VP8 encoders of rank 100 whose probes misbehave; never probed here.
struct ChooserTest : ::testing::Test {
    PluginRegistry registry;
    std::map<std::string, int> probes;  // factory -> probe runs
    std::map<std::string, ProbeResult> answers;

    ChooserTest() { registry.load_search_path({TETHER_PROBE_TEST_PLUGIN_DIR}); }

    PluginChooser chooser() {
        return PluginChooser(registry, [this](const Factory& f) {
            ++probes[f.name];
            const auto answer = answers.find(f.name);
            return answer == answers.end() ? ProbeResult{true, {}, {}} : answer->second;
        });
    }
    static Names names(std::initializer_list<const char*> list) {
        Names out;
        for (const char* name : list) out.push_back({name, Source{"test.toml", 3, 1}});
        return out;
    }
    static std::vector<std::string> names_of(const std::vector<const Factory*>& factories) {
        std::vector<std::string> out;
        for (const Factory* f : factories) out.push_back(f->name);
        return out;
    }
};

TEST_F(ChooserTest, ACodecStandsForEveryFactoryOfItAndANameComesWhereItIsListed) {
    ASSERT_EQ(registry.factories().size(), 2u);
    EXPECT_EQ(names_of(chooser().candidates(TETHER_KIND_ENCODER, names({"vp8"}))),
              (std::vector<std::string>{"broken-probe-crashes", "broken-probe-hangs"}));
    EXPECT_EQ(names_of(chooser().candidates(TETHER_KIND_ENCODER, names({"broken-probe-hangs", "vp8"}))),
              (std::vector<std::string>{"broken-probe-hangs", "broken-probe-crashes"}));
    EXPECT_TRUE(chooser().candidates(TETHER_KIND_DECODER, names({"vp8"})).empty());
}

TEST_F(ChooserTest, WhatDoesNotFitIsNeverProbedAndEachProbeRunsOnce) {
    const PluginChooser c = chooser();
    const Fit not_crashes = [](const Factory& f) { return f.name == "broken-probe-crashes" ? "not this one" : ""; };
    EXPECT_EQ(c.first(TETHER_KIND_ENCODER, names({"vp8"}), not_crashes).name, "broken-probe-hangs");
    EXPECT_EQ(c.first(TETHER_KIND_ENCODER, names({"vp8"}), not_crashes).name, "broken-probe-hangs");
    EXPECT_EQ(probes, (std::map<std::string, int>{{"broken-probe-hangs", 1}}));
    EXPECT_EQ(names_of(c.all(TETHER_KIND_ENCODER, names({"vp8"}), encodes("vp9"))), std::vector<std::string>{});
}

TEST_F(ChooserTest, WhenNothingIsUsableTheErrorSaysWhyForEach) {
    answers["broken-probe-crashes"] = {false, "crashed: Segmentation fault", {}};
    answers["broken-probe-hangs"] = {false, "timed out after 1 s", {}};
    try {
        chooser().first(TETHER_KIND_ENCODER, names({"vp8"}));
        FAIL() << "chose an encoder whose probe failed";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(),
                     "test.toml:3:1: no usable encoder among vp8: broken-probe-crashes (crashed: Segmentation fault), "
                     "broken-probe-hangs (timed out after 1 s)");
    }
}

// A hardware encoder's probe finds its device and the sizes it takes (ABI 1.6 limits): a capture
// of another size passes it over, saying why, and the next encoder serves.
TEST_F(ChooserTest, AnEncoderWhoseDeviceCannotTakeTheSizeIsPassedOverSayingWhy) {
    answers["broken-probe-crashes"] = {true, {}, PictureSizes{145, 49, 1280, 720}};
    const PluginChooser c = chooser();
    const Factory& sized = *registry.find(TETHER_KIND_ENCODER, "broken-probe-crashes");
    EXPECT_EQ(device_encodes(c, 1280, 720)(sized), "");
    EXPECT_EQ(device_encodes(c, 0, 0)(sized), "");  // the capture's own size, not known yet
    EXPECT_EQ(device_encodes(c, 1920, 1080)(sized), "this machine's device encodes 145x49 to 1280x720, not 1920x1080");
    EXPECT_EQ(device_encodes(c, 100, 100)(sized), "this machine's device encodes 145x49 to 1280x720, not 100x100");
    EXPECT_EQ(c.first(TETHER_KIND_ENCODER, names({"vp8"}), device_encodes(c, 1920, 1080)).name, "broken-probe-hangs");
    EXPECT_EQ(c.first(TETHER_KIND_ENCODER, names({"vp8"}), device_encodes(c, 1280, 720)).name, "broken-probe-crashes");
}

// The sizes are part of the kept answer, and a kept answer whose sizes make no sense is probed again.
TEST_F(ChooserTest, TheProbeCacheKeepsAnEncodersDeviceSizes) {
    const TempFolder folder("tether-probe-cache-test");
    const auto file = folder.path() / "probes.json";
    const Factory& encoder = *registry.find(TETHER_KIND_ENCODER, "broken-probe-crashes");
    ProbeCache(file, "test").store(encoder, {true, {}, PictureSizes{145, 49, 4096, 4096}});
    const std::optional<ProbeResult> kept = ProbeCache(file, "test").find(encoder);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->sizes, (PictureSizes{145, 49, 4096, 4096}));
    EXPECT_EQ(sizes_from_json(nlohmann::json{{"min_width", 300}, {"min_height", 49}, {"max_width", 200}, {"max_height", 99}}),
              std::nullopt);
    EXPECT_EQ(sizes_from_json(nlohmann::json{{"min_width", 1}, {"min_height", 1}, {"max_width", -5}, {"max_height", 9}}),
              std::nullopt);
    EXPECT_EQ(sizes_from_json(nlohmann::json::array()), std::nullopt);
}

TEST_F(ChooserTest, CapabilitiesDecideFits) {
    const Factory& encoder = *registry.find(TETHER_KIND_ENCODER, "broken-probe-crashes");
    EXPECT_EQ(encodes("vp8")(encoder), "");
    EXPECT_EQ(encodes("vp9")(encoder), "encodes vp8, not vp9");
    EXPECT_EQ(pixel_format_names(TETHER_PIXEL_BIT(TETHER_PIXEL_I420) | TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA)),
              (std::vector<std::string>{"i420", "bgra"}));
}

}  // namespace
}  // namespace tether
