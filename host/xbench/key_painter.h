// A small X client for latency benchmarks: a window holding the keyboard
// focus that turns from black to white and back on each key pressed, so
// that a key sent at one end shows as a change of picture at the other.
#pragma once

#include "painted_window.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace tether::xbench {

class KeyPainter {
public:
    // Maps the window over `area` of `display` and takes the focus; throws when it cannot.
    KeyPainter(const std::string& display, const tether_rect& area);
    ~KeyPainter();
    KeyPainter(const KeyPainter&) = delete;
    KeyPainter& operator=(const KeyPainter&) = delete;
    uint64_t keys() const { return keys_; }  // presses seen, and repaints made

private:
    void run();

    PaintedWindow window_;
    std::atomic<uint64_t> keys_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace tether::xbench
