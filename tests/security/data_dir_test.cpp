// Where the identity and passwords live, and that nobody else may write there.
#include "private_files.h"
#include "security/data_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace tether::test {
namespace {

namespace fs = std::filesystem;
using security::default_data_dir;
using security::ensure_data_dir;

// Sets environment variables for one test and puts the old values back afterwards.
class ScopedEnv {
public:
    void set(const char* name, const std::optional<std::string>& value) {
        if (!saved_.contains(name)) {
            const char* old = std::getenv(name);
            saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
        }
        apply(name, value);
    }
    ~ScopedEnv() {
        for (const auto& [name, value] : saved_)
            apply(name.c_str(), value);
    }

private:
    static void apply(const char* name, const std::optional<std::string>& value) {
        if (value)
            ::setenv(name, value->c_str(), 1);
        else
            ::unsetenv(name);
    }
    std::map<std::string, std::optional<std::string>> saved_;
};

TEST(DataDir, DefaultFollowsXdgDataHomeThenHome) {
    ScopedEnv env;
    env.set("XDG_DATA_HOME", "/srv/data");
    env.set("HOME", "/home/someone");
    EXPECT_EQ(default_data_dir(), fs::path("/srv/data/tether"));
    env.set("XDG_DATA_HOME", "relative/data");  // ignored, as the XDG rules say
    EXPECT_EQ(default_data_dir(), fs::path("/home/someone/.local/share/tether"));
    env.set("XDG_DATA_HOME", std::nullopt);
    EXPECT_EQ(default_data_dir(), fs::path("/home/someone/.local/share/tether"));
    env.set("HOME", std::nullopt);
    EXPECT_THROW(default_data_dir(), std::runtime_error);
}

TEST(DataDir, CreatesTheChosenFolderOwnerOnlyWithItsParents) {
    TempDir dir;
    const fs::path chosen = dir.path() / "a" / "b" / "tether";
    EXPECT_EQ(ensure_data_dir(chosen), chosen);
    EXPECT_TRUE(fs::is_directory(chosen));
    EXPECT_EQ(mode_of(chosen), 0700u);
    EXPECT_EQ(ensure_data_dir(chosen), chosen);  // existing: fine
}

TEST(DataDir, CreatesTheDefaultWhenNoneIsChosen) {
    TempDir dir;
    ScopedEnv env;
    env.set("XDG_DATA_HOME", dir.path().string());
    EXPECT_EQ(ensure_data_dir(std::nullopt), dir.path() / "tether");
    EXPECT_EQ(mode_of(dir.path() / "tether"), 0700u);
}

TEST(DataDir, RefusesAFolderOthersMayWriteAndAFile) {
    TempDir dir;
    const fs::path shared = dir.path() / "shared";
    fs::create_directory(shared);
    fs::permissions(shared, fs::perms::owner_all | fs::perms::group_all);
    try {
        ensure_data_dir(shared);
        FAIL() << "a group-writable folder was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("chmod 700 " + shared.string()), std::string::npos) << e.what();
    }
    const fs::path file = dir.write("plain-file", "x");
    EXPECT_THROW(ensure_data_dir(file), std::runtime_error);
}

}  // namespace
}  // namespace tether::test
