// A temporary folder for configuration files, and layers pointed into it so
// the machine's own /etc and ~/.config files are never read.
#pragma once

#include "core/config.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>

namespace tether::test {

class ConfigTest : public ::testing::Test {
protected:
    // System and user layers that do not exist until a test writes them.
    ConfigFiles files() const {
        return {.system = dir.path() / "system.toml", .user = dir.path() / "user.toml", .explicit_file = {}};
    }

    // Loads `text` as the --config file.
    Config load(std::string_view text) const {
        ConfigFiles layers = files();
        layers.explicit_file = dir.write("explicit.toml", text);
        return load_config(layers);
    }

    std::string explicit_path() const { return (dir.path() / "explicit.toml").string(); }

    // The message of the ConfigError that `action` throws, or "no error".
    static std::string error_of(const std::function<void()>& action) {
        try {
            action();
        } catch (const ConfigError& error) {
            return error.what();
        }
        return "no error";
    }

    std::string load_error(std::string_view text) const {
        return error_of([&] { load(text); });
    }

    TempDir dir;
};

}  // namespace tether::test
