#include "throwaway_identity.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace tether::fuzz {

security::Identity throwaway_identity() {
    std::string folder = (std::filesystem::temp_directory_path() / "tether-fuzz-XXXXXX").string();
    if (::mkdtemp(folder.data()) == nullptr) {
        std::perror("mkdtemp");
        std::abort();
    }
    security::Identity identity = security::load_or_create_identity(folder);
    std::filesystem::remove_all(folder);
    return identity;
}

}  // namespace tether::fuzz
