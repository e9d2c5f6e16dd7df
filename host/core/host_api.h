// The tether_host_api instance every plugin receives.
#pragma once

#include <tether/plugin.h>

#include <cstdint>

namespace tether {

const tether_host_api* host_api();
int64_t now_us();  // CLOCK_REALTIME microseconds

}  // namespace tether
