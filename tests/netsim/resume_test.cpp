// A session whose path drops resumes on a new one: `netsim.sh cut b 3` takes
// the viewer's link down mid-session; once it is back the viewer finds the
// host again through the rendezvous server and carries the session on with
// its ticket — no new login, frames in order, the gap bounded.
#include "build_parts.h"
#include "netsim_world.h"

#include <gtest/gtest.h>

#include <iostream>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

class Resume : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
        if (const auto why = Netsim::unavailable()) GTEST_SKIP() << *why;
    }
};

TEST_F(Resume, ACutLinkResumesWithoutALoginOnceItIsBack) {
    NetsimWorld world("cone", "cone");
    world.start_server();
    world.start_host();
    const auto viewer = world.start_viewer(12);
    std::this_thread::sleep_for(3s);
    constexpr int kCutSeconds = 3;
    world.net().cut("b", kCutSeconds);
    const auto viewed = NetsimWorld::collect(*viewer, 60s);
    ASSERT_EQ(viewed.exit_code, 0) << viewed.log << "\nhost:\n" << world.host().stderr_text();
    const auto& s = viewed.summary;
    EXPECT_EQ(s.value("resumed", 0), 1) << s.dump();
    EXPECT_EQ(s.value("out_of_order", -1), 0) << s.dump();
    // The longest freeze: the cut itself, then at most 5 s to be back.
    EXPECT_LT(s.value("max_gap_ms", 1e9), (kCutSeconds + 5) * 1000.0) << s.dump();
    EXPECT_GT(s.value("frames", 0), 100) << s.dump();
    std::cout << "resumed session: " << s.dump() << std::endl;
    EXPECT_NE(viewed.log.find("resuming the session"), std::string::npos) << viewed.log;
}

}  // namespace
}  // namespace tether::test
