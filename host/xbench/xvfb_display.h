// An X server of a benchmark's own (Xvfb) on a free display number, gone
// when this is destroyed.
#pragma once

#include "core/background_command.h"

#include <cstdint>
#include <memory>
#include <string>

namespace tether::xbench {

class XvfbDisplay {
public:
    // Ready for clients when it returns; throws with Xvfb's words when it cannot start.
    XvfbDisplay(uint32_t width, uint32_t height);
    const std::string& name() const { return name_; }  // ":123"

private:
    std::string name_;
    std::unique_ptr<BackgroundCommand> server_;
};

}  // namespace tether::xbench
