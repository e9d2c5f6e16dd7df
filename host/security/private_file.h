// The files in the data folder hold secrets or trust decisions: only their owner may
// read or write them (0600), they are bounded in size when read, and they are replaced
// atomically so that a crash or a full disk never leaves half a key behind.
// Every failure throws std::runtime_error naming the file and the reason.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tether::security {

// The contents, or nullopt when the file does not exist. Refuses a file that is not a
// regular file, belongs to another user, is open to group or others (the message
// says which chmod fixes it) or is larger than max_size.
std::optional<std::string> read_private_file(const std::filesystem::path& file, size_t max_size);

// Writes a 0600 temporary file in the same folder, syncs it, then renames it over `file`.
void replace_private_file(const std::filesystem::path& file, std::string_view contents);

// As replace_private_file, but never replaces: false when `file` already exists, so two
// processes creating the same file at once both end up using the first one's contents.
bool create_private_file(const std::filesystem::path& file, std::string_view contents);

// Overwrites the string's bytes with zeros when the scope ends, whichever way it ends.
class WipeOnExit {
public:
    explicit WipeOnExit(std::string& secret) : secret_(secret) {}
    ~WipeOnExit();
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    std::string& secret_;
};

}  // namespace tether::security
