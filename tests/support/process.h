// Running real processes from tests.
#pragma once

#include "core/subprocess.h"

#include <string>

namespace tether::test {

using tether::CommandResult;
using tether::run_command;

// build/bin/tether
inline std::string tether_binary() { return std::string(TETHER_BINARY_DIR) + "/bin/tether"; }

}  // namespace tether::test
