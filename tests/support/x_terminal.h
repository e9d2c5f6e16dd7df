// An xterm on a test's X server whose keyboard input `cat` writes to a file:
// an independent judge of what reached the keyboard. And the waiting that
// tests on X servers share.
#pragma once

#include "child_process.h"
#include "temp_dir.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace tether::test {

// True once `done` is; false when `timeout` passed first.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(30));

std::string file_text(const std::filesystem::path& file);

// An xterm, focused, at the top left of the screen.
class Terminal {
public:
    Terminal(const std::string& display, const TempDir& dir);
    // What `cat` wrote, once it is `expected` (or the time is up).
    std::string text_when(const std::string& expected) const;

private:
    std::filesystem::path file_;
    std::unique_ptr<ChildProcess> xterm_;
};

}  // namespace tether::test
