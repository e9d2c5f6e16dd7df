#include "encoder_settings.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <regex>
#include <string>

namespace tether::cli {

class StartedEncoderLog::Sink : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::optional<EncoderSettings> last() {
        std::lock_guard lock(mutex_);
        return last_;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        static const std::regex started(
            R"(encoder (\d+)x(\d+) at (\d+) fps, (\d+) kbps, (\d+) threads, speed (-?\d+))");
        const std::string text(message.payload.begin(), message.payload.end());
        std::smatch m;
        if (!std::regex_search(text, m, started)) return;
        const auto number = [&](size_t i) { return static_cast<uint32_t>(std::stoul(m[i].str())); };
        last_ = EncoderSettings{number(1), number(2), number(3), number(4), number(5), std::stoi(m[6].str())};
    }
    void flush_() override {}

private:
    std::optional<EncoderSettings> last_;  // under base_sink's mutex_
};

StartedEncoderLog::StartedEncoderLog()
    : sink_(std::make_shared<Sink>()), previous_level_(spdlog::default_logger()->level()) {
    const auto logger = spdlog::default_logger();
    // The line is at info level: let it through to this sink, whatever the log level.
    sink_->set_level(spdlog::level::info);
    if (logger->level() > spdlog::level::info) {
        for (const auto& sink : logger->sinks()) sink->set_level(logger->level());
        logger->set_level(spdlog::level::info);
    }
    logger->sinks().push_back(sink_);
}

StartedEncoderLog::~StartedEncoderLog() {
    const auto logger = spdlog::default_logger();
    auto& sinks = logger->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    logger->set_level(static_cast<spdlog::level::level_enum>(previous_level_));
}

std::optional<EncoderSettings> StartedEncoderLog::last() const {
    return sink_->last();
}

}  // namespace tether::cli
