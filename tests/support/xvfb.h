// An X server of the test's own (Xvfb) on a display number it picked itself
// (no other test program, even one started at the same moment, shares it),
// and an independent tool (xsetroot) to paint its screen.
#pragma once

#include "child_process.h"
#include "temp_dir.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tether::test {

class Xvfb {
public:
    // Ready to connect to when it returns; `options` go to Xvfb too ("-extension", "XTEST" turns XTEST off).
    Xvfb(uint32_t width, uint32_t height, const std::vector<std::string>& options = {});
    // Paints the root window one colour ("#336699"), as a user's tool would.
    void paint(const std::string& colour) const;
    const std::string& display() const { return display_; }  // ":123"

private:
    TempDir folder_;  // where the server writes its display number once it is ready
    std::string display_;
    std::unique_ptr<ChildProcess> server_;
};

}  // namespace tether::test
