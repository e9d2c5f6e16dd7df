// What this build left out: plugins (TETHER_PLUGIN_<NAME>=OFF, or a library
// missing), PNG output (TETHER_PNG_OUTPUT=OFF) and the viewer window
// (TETHER_VIEWER_WINDOW=OFF, or SDL2 missing), as CMake decided. A test
// that needs a part this build lacks skips, saying why, instead of failing.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tether::test {

// Parts by name: a plugin's ("codec-vpx"), "png-output" or "viewer-window".
using Parts = std::vector<std::string_view>;

// What TestHost, `tether host` and `tether demo` stream with by default: the
// synthetic desktop, encoded by vpx, over TCP.
inline const Parts kStreamingPlugins{"capture-synthetic", "codec-vpx", "transport-tcp"};

// Why a test that needs `parts` cannot run in this build, or "" when it has
// them all. A name this project does not know throws std::invalid_argument,
// so a misspelt one fails the test rather than skipping it for good.
std::string left_out(const Parts& parts);
bool built(std::string_view part);  // throws as left_out() does

// The plugins this build made.
Parts plugins_built();

}  // namespace tether::test

// In a test's body or SetUp(): skips the test unless this build has every part
// named (names, or a Parts such as kStreamingPlugins).
#define TETHER_REQUIRE_BUILT(...)                                                         \
    do {                                                                                  \
        const std::string tether_left_out = ::tether::test::left_out({__VA_ARGS__});      \
        if (!tether_left_out.empty()) GTEST_SKIP() << tether_left_out;                    \
    } while (false)
