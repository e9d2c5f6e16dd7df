#include "context.h"

#include "core/logging.h"
#include "core/plugin_settings.h"
#include "isolated_probe.h"
#include "security/data_dir.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace tether::cli {

std::unique_ptr<Context> make_context(const GlobalOptions& options, const std::map<std::string, std::string>& overrides,
                                      bool fresh_probes) {
    auto context = std::make_unique<Context>();
    ConfigFiles files;
    if (options.config_file) files.explicit_file = *options.config_file;
    context->config = load_config(files);
    for (const auto& [key, value] : overrides) set_from_command_line(context->config, key, value);

    static constexpr std::array<const char*, 5> kLevels{"error", "warn", "info", "debug", "trace"};
    std::string level = context->config.log_level.value;
    if (options.verbosity > 0) {
        const auto current = std::find(kLevels.begin(), kLevels.end(), level);
        const auto index = std::min<size_t>(kLevels.size() - 1, static_cast<size_t>(current - kLevels.begin()) +
                                                                    static_cast<size_t>(options.verbosity));
        level = kLevels[index];
    }
    set_log_level(level);

    std::vector<std::string> configured;
    for (const auto& folder : context->config.plugin_path) configured.push_back(folder.value);
    context->registry.load_search_path(plugin_search_path(configured));
    validate_plugin_names(context->config, [&](tether_kind kind) {
        // A preference list may name a codec for every encoder or decoder of it.
        std::vector<std::string> names;
        for (const Factory* f : context->registry.of_kind(kind)) names.push_back(f->name);
        for (const Factory* f : context->registry.of_kind(kind))
            if (const std::string codec = codec_of(*f); !codec.empty() && std::ranges::find(names, codec) == names.end())
                names.push_back(codec);
        return names;
    });
    apply_plugin_settings(context->config, context->registry);
    std::filesystem::path cache;
    try {
        cache = (options.data_dir ? std::filesystem::path(*options.data_dir) : security::default_data_dir()) /
                "probe-cache.json";
    } catch (const std::exception& e) {
        spdlog::info("probe answers are not kept: {}", e.what());
    }
    context->chooser = std::make_unique<PluginChooser>(
        context->registry,
        cached_child_prober(cache, std::chrono::seconds(context->config.probe_timeout.value), fresh_probes));
    return context;
}

}  // namespace tether::cli
