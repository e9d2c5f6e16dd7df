// The default logger's output sent to a string while a test looks at it.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace tether::test {

class CapturedLog {
public:
    CapturedLog() : previous_(spdlog::default_logger()) {
        spdlog::set_default_logger(
            std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)));
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;
    std::string text() const { return text_.str(); }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::ostringstream text_;
};

}  // namespace tether::test
