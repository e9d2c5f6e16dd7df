// oneVPL status codes as text, and the check every call goes through.
#pragma once

#include <vpl/mfxdefs.h>

#include <string>

namespace tether::vpl {

std::string status_name(mfxStatus status);  // "MFX_ERR_UNSUPPORTED"

// Throws std::runtime_error "<call>: <status name>" for an error; warnings
// (positive statuses: a parameter adjusted) pass.
void check(mfxStatus status, const char* call);

}  // namespace tether::vpl
