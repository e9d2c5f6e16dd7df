#include "isolated_probe.h"

#include "core/message_text.h"
#include "core/probe_cache.h"
#include "core/subprocess.h"
#include "stop_signal.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace tether::cli {
namespace {

// The last line a child wrote to stderr: its own explanation of a failure.
std::string last_line(std::string text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
    const size_t start = text.rfind('\n');
    return start == std::string::npos ? text : text.substr(start + 1);
}

}  // namespace

ProbeResult probe_in_child(const Factory& factory, std::chrono::milliseconds timeout) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {false, "failed: cannot find the tether executable to probe in: " + ec.message(), {}};
    const CommandResult r = run_command({self.string(), "probe-plugin", factory.plugin_file().string(), factory.name,
                                         "--kind", kind_name(factory.kind), "--json"},
                                        timeout, {}, stop_requested);
    if (r.cancelled) return {false, "not probed: tether is stopping", {}};
    if (r.timed_out) return {false, "timed out after " + duration_text(timeout), {}};
    if (r.signal != 0) return {false, std::string("crashed: ") + strsignal(r.signal), {}};
    const nlohmann::json answer = nlohmann::json::parse(r.out, nullptr, false);
    if (!answer.is_object() || !answer.contains("ok") || !answer["ok"].is_boolean())
        return {false, "failed: the probe's process ended with code " + std::to_string(r.exit_code) +
                           (r.err.empty() ? "" : ": " + last_line(r.err)),
                {}};
    ProbeResult result{answer["ok"].get<bool>(), answer.value("reason", ""), {}};
    if (const auto sizes = answer.find("sizes"); result.ok && sizes != answer.end()) {
        result.sizes = sizes_from_json(*sizes);
        if (!result.sizes) return {false, "failed: the probe's process answered sizes that make no sense", {}};
    }
    return result;
}

Prober cached_child_prober(std::filesystem::path cache_file, std::chrono::milliseconds timeout, bool fresh) {
    struct Shared {
        Shared(std::filesystem::path file, std::chrono::milliseconds timeout)
            : cache(std::move(file), "probe_timeout=" + duration_text(timeout)) {}
        std::mutex mutex;
        ProbeCache cache;
    };
    auto shared = std::make_shared<Shared>(std::move(cache_file), timeout);
    return [shared, timeout, fresh](const Factory& factory) {
        const std::lock_guard lock(shared->mutex);
        if (!fresh)
            if (std::optional<ProbeResult> kept = shared->cache.find(factory)) {
                spdlog::debug("probe of {} {}: kept answer ({})", kind_name(factory.kind), factory.name,
                              kept->ok ? "ok" : kept->reason);
                return *kept;
            }
        const ProbeResult result = probe_in_child(factory, timeout);
        spdlog::debug("probe of {} {}: {}", kind_name(factory.kind), factory.name, result.ok ? "ok" : result.reason);
        if (!stop_requested()) shared->cache.store(factory, result);  // a probe cut short answers nothing
        return result;
    };
}

}  // namespace tether::cli
