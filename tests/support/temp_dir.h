// A fresh directory under $TMPDIR, removed with everything in it at scope exit.
#pragma once

#include <filesystem>
#include <string_view>

namespace tether::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path write(const std::string& name, std::string_view contents) const;  // returns the file's path

private:
    std::filesystem::path path_;
};

}  // namespace tether::test
