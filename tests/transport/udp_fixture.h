// Pieces of the UDP transport tests: the fixture, which also checks that
// every descriptor the transport opened is closed again, and punch plans;
// udp_relay.h has the raw sockets that play a stranger or a silent peer and
// the relay that can drop or cut a path.
#pragma once

#include "loopback.h"
#include "udp_relay.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <thread>

namespace tether::test {

class UdpTransportTest : public LoopbackTransportTest {
protected:
    UdpTransportTest() : LoopbackTransportTest("udp") {}
    void SetUp() override;
    void TearDown() override;

private:
    size_t descriptors_before_ = 0;
};

// How many descriptors this process has open (/proc/self/fd).
size_t open_descriptors();

// 16 bytes that differ with `seed`.
Bytes token_of(uint8_t seed);
// 16 random bytes: a punch that probes a whole address meets no other run's punch.
Bytes random_token();

PunchPlan plan_for(const std::string& peer, uint32_t method, uint32_t role, const Bytes& token,
                   std::chrono::milliseconds timeout = 20s);

}  // namespace tether::test
