#include "data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace tether::security {
namespace fs = std::filesystem;
namespace {

std::optional<fs::path> absolute_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || !fs::path(value).is_absolute()) return std::nullopt;
    return fs::path(value);
}

[[noreturn]] void fail_folder(const fs::path& folder, const std::string& reason) {
    throw std::runtime_error(folder.string() + ": " + reason);
}

void create_private_folder(const fs::path& folder) {
    std::error_code error;
    if (folder.has_parent_path()) fs::create_directories(folder.parent_path(), error);
    if (error) fail_folder(folder.parent_path(), "cannot create folder: " + error.message());
    if (::mkdir(folder.c_str(), S_IRWXU) != 0 && errno != EEXIST)
        fail_folder(folder, std::string("cannot create folder: ") + std::strerror(errno));
}

}  // namespace

fs::path default_data_dir() {
    if (const auto xdg = absolute_env("XDG_DATA_HOME")) return *xdg / "tether";
    if (const auto home = absolute_env("HOME")) return *home / ".local" / "share" / "tether";
    throw std::runtime_error(
        "no folder for tether's data: neither $XDG_DATA_HOME nor $HOME is an absolute path; pass --data-dir");
}

fs::path ensure_data_dir(const std::optional<fs::path>& chosen) {
    const fs::path folder = chosen ? *chosen : default_data_dir();
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) {
        if (errno != ENOENT) fail_folder(folder, std::string("cannot stat: ") + std::strerror(errno));
        create_private_folder(folder);
        // mkdir's mode passes through the umask; this folder must be exactly owner-only.
        if (::chmod(folder.c_str(), S_IRWXU) != 0 || ::stat(folder.c_str(), &st) != 0)
            fail_folder(folder, std::string("cannot set mode 0700: ") + std::strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) fail_folder(folder, "not a folder");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        fail_folder(folder, "other users may write to this folder; run: chmod 700 " + folder.string());
    return folder;
}

}  // namespace tether::security
