#include "udp_fixture.h"

#include <filesystem>
#include <random>

namespace tether::test {

void UdpTransportTest::SetUp() {
    descriptors_before_ = open_descriptors();
    LoopbackTransportTest::SetUp();
}

void UdpTransportTest::TearDown() {
    LoopbackTransportTest::TearDown();
    // The transport closed every socket it opened, its wake-up descriptor too.
    EXPECT_EQ(open_descriptors(), descriptors_before_);
}

size_t open_descriptors() {
    size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
    return count;
}

// ---- plans ----

Bytes token_of(uint8_t seed) { return pattern(16, seed); }

Bytes random_token() { return pattern(16, std::random_device{}()); }

PunchPlan plan_for(const std::string& peer, uint32_t method, uint32_t role, const Bytes& token,
                   std::chrono::milliseconds timeout) {
    PunchPlan plan;
    plan.peer_address = peer;
    plan.method = method;
    plan.role = role;
    plan.token = token;
    plan.timeout = timeout;
    return plan;
}

}  // namespace tether::test
