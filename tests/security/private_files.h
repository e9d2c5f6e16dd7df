// Test helpers for the owner-only files of the data folder.
#pragma once

#include "temp_dir.h"

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace tether::test {

// Writes a file with mode 0600, as tether itself would, so a test reaches the content checks.
std::filesystem::path write_owner_only(const TempDir& dir, const std::string& name, std::string_view contents);
// The permission bits, e.g. 0600.
mode_t mode_of(const std::filesystem::path& path);
std::string read_text(const std::filesystem::path& file);

}  // namespace tether::test
