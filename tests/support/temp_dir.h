// A fresh directory for one test, removed with everything in it at scope exit.
#pragma once

#include "core/temp_folder.h"

#include <filesystem>
#include <string_view>

namespace tether::test {

class TempDir : public TempFolder {
public:
    TempDir() : TempFolder("tether-test") {}
    std::filesystem::path write(const std::string& name, std::string_view contents) const;  // returns the file's path
};

}  // namespace tether::test
