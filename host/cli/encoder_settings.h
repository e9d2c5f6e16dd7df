// The settings an encoder plugin resolved from its configuration (defaults
// for 0 and -1 filled in), as it reports them when it starts.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>

namespace tether::cli {

struct EncoderSettings {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t fps = 0;
    uint32_t bitrate_kbps = 0;
    uint32_t threads = 0;
    int32_t speed = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(EncoderSettings, width, height, fps, bitrate_kbps, threads, speed)

// While it lives, watches the log for the line every codec plugin writes
// when an encoder starts ("vp9 encoder 1920x1080 at 30 fps, 2000 kbps, 2
// threads, speed 9", codec::log_started): the only place a plugin says what
// its defaults came to.
class StartedEncoderLog {
public:
    StartedEncoderLog();
    ~StartedEncoderLog();
    StartedEncoderLog(const StartedEncoderLog&) = delete;
    StartedEncoderLog& operator=(const StartedEncoderLog&) = delete;
    // The settings of the last encoder that started; nullopt when none said.
    std::optional<EncoderSettings> last() const;

    class Sink;

private:
    std::shared_ptr<Sink> sink_;
    int previous_level_;  // the logger's, given back at the end
};

}  // namespace tether::cli
