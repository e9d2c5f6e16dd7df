// The application version string, from the build.
#pragma once

namespace tether {
inline constexpr const char* kAppVersion = "tether " TETHER_VERSION;
}
