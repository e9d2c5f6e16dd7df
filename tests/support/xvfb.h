// An X server of the test's own (Xvfb) on a display number no other test
// program uses, and an independent tool (xsetroot) to paint its screen.
#pragma once

#include "child_process.h"

#include <filesystem>
#include <memory>
#include <string>

namespace tether::test {

class Xvfb {
public:
    Xvfb(uint32_t width, uint32_t height);  // ready to connect to when it returns
    // Paints the root window one colour ("#336699"), as a user's tool would.
    void paint(const std::string& colour) const;
    const std::string& display() const { return display_; }  // ":123"

private:
    std::string display_;
    std::unique_ptr<ChildProcess> server_;
};

}  // namespace tether::test
