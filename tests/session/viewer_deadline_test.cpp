// A host that stops answering never leaves a viewer waiting for good: the
// viewer ends the session with the reason once its deadline passes.
#include "build_parts.h"
#include "session/confirmer.h"
#include "test_host.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// `tether host --confirm` with nobody at the host: questions wait until it goes.
class NobodyAtTheHost : public Confirmer {
public:
    ~NobodyAtTheHost() override {
        for (const auto& answer : waiting_) answer({false, "nobody answered"});
    }
    void ask(ConfirmQuestion, std::function<bool()>, AnswerFn answer) override {
        std::lock_guard lock(mutex_);
        waiting_.push_back(std::move(answer));
    }

private:
    std::mutex mutex_;
    std::vector<AnswerFn> waiting_;
};

TEST(ViewerDeadline, AHostThatNeverAnswersTheLoginEndsTheSessionWithTheReason) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    NobodyAtTheHost nobody;  // outlives the host, which asks it
    test::TestHost host(test::synthetic_video("vp9", 160, 120));
    host.context.confirmer = &nobody;
    auto options = test::view_only("vp9");
    options.login_answer_timeout = 1s;
    auto viewer = host.viewer(options);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!viewer->ended() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    const ViewerReport r = viewer->report();
    EXPECT_TRUE(viewer->ended());
    EXPECT_FALSE(r.logged_in);
    EXPECT_EQ(r.end_reason, "the host did not answer the login within 1 s");
}

}  // namespace
}  // namespace tether::session
