// A fresh folder under $TMPDIR, removed with its contents when it goes out of scope.
#pragma once

#include <filesystem>
#include <string>

namespace tether {

class TempFolder {
public:
    explicit TempFolder(const std::string& prefix);
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace tether
