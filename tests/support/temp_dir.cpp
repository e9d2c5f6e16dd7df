#include "temp_dir.h"

#include <fstream>
#include <stdexcept>
#include <string>

namespace tether::test {

std::filesystem::path TempDir::write(const std::string& name, std::string_view contents) const {
    const auto file = path() / name;
    std::ofstream out(file, std::ios::binary);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

}  // namespace tether::test
