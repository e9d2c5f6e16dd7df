// A network namespace of the test process's own, whose loopback can be shaped
// as a thin link (tc's token bucket filter): a test's real sockets meet a real
// bottleneck that queues a little and drops what overflows it, as a slow
// access link does, and nothing outside the test process is touched. All of
// the process's loopback traffic shares the one bucket. Needs root and tc
// (iproute2) with the tbf queueing discipline.
#pragma once

#include <cstdint>
#include <string>

namespace tether::test {

class ShapedLoopback {
public:
    // Moves this process into a new network namespace with its loopback up, at
    // Ethernet's MTU. Call before any thread starts. "" when done, else why not.
    static std::string enter();
    // Everything this process sends passes at most `kbps` from now on; 0: no cap.
    static void cap(uint32_t kbps);
};

}  // namespace tether::test
