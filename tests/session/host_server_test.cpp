// A host whose port another program holds says so, and stops cleanly.
#include "build_parts.h"
#include "test_host.h"

#include <gtest/gtest.h>

namespace tether::session {
namespace {

TEST(HostServer, APortInUseIsAnErrorNotACrash) {
    TETHER_REQUIRE_BUILT(test::kStreamingPlugins);
    test::TestHost host(test::synthetic_video("vp8", 160, 120));
    try {
        HostServer second(host.transport, host.server.address(), host.context);
        FAIL() << "a second host listened on " << host.server.address();
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::session
