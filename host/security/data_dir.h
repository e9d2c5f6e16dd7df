// The per-user folder that holds this installation's identity, pinned host keys and password.
#pragma once

#include <filesystem>
#include <optional>

namespace tether::security {

// $XDG_DATA_HOME/tether, else $HOME/.local/share/tether (relative values are ignored,
// as the XDG rules say). Throws std::runtime_error when neither is usable.
std::filesystem::path default_data_dir();

// `chosen` (--data-dir) or the default, created 0700 with its parents when missing.
// An existing folder that other users may write to is refused: they could swap the files in it.
std::filesystem::path ensure_data_dir(const std::optional<std::filesystem::path>& chosen);

}  // namespace tether::security
