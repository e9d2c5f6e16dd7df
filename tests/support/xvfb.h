// X servers of the test's own (Xvfb; TigerVNC's Xvnc where a test needs RandR
// resizing and monitors) on a display number each server picks itself (no
// other test program, even one started at the same moment, shares it), and
// independent tools (xsetroot, xdotool, xrandr...) run on them.
#pragma once

#include "child_process.h"
#include "process.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace tether::test {

class XServer {
public:
    // Paints the root window one colour ("#336699"), as a user's tool would.
    void paint(const std::string& colour) const;
    // Runs an X client on this display; throws, with its stderr, when it fails.
    CommandResult run(const std::vector<std::string>& argv) const;
    const std::string& display() const { return display_; }  // ":123"

protected:
    // Starts `server` on a free display, with `arguments` after the display
    // number; ready to connect to when it returns.
    XServer(const std::string& server, const std::vector<std::string>& arguments);

private:
    std::string display_;
    std::unique_ptr<ChildProcess> server_;
};

class Xvfb : public XServer {
public:
    // `options` go to Xvfb too ("-extension", "XTEST" turns XTEST off).
    Xvfb(uint32_t width, uint32_t height, const std::vector<std::string>& options = {});
};

// Resizes with `xrandr -s WxH` and takes monitors from `xrandr --setmonitor`, which Xvfb cannot.
class Xvnc : public XServer {
public:
    Xvnc(uint32_t width, uint32_t height);
    static bool installed();  // tigervnc-standalone-server
};

}  // namespace tether::test
