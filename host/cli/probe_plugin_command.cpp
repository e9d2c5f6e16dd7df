#include "probe_plugin_command.h"

#include "core/plugin_kinds.h"
#include "core/plugin_objects.h"
#include "core/probe_cache.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace tether::cli {
namespace {

struct ProbePluginOptions {
    std::string file;
    std::string factory;
    std::string kind;
};

// The factory of that name (and kind, when given) in the one plugin loaded.
const Factory& find_factory(const PluginRegistry& registry, const ProbePluginOptions& o) {
    std::vector<const Factory*> found;
    for (const Factory& f : registry.factories())
        if (f.name == o.factory && (o.kind.empty() || o.kind == kind_name(f.kind))) found.push_back(&f);
    if (found.size() == 1) return *found.front();
    if (found.empty()) throw UsageError(o.file + " offers no " + (o.kind.empty() ? "factory" : o.kind) + " named " + o.factory);
    throw UsageError(o.file + " offers several factories named " + o.factory + "; say which with --kind");
}

}  // namespace

void add_probe_plugin_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    auto options = std::make_shared<ProbePluginOptions>();
    CLI::App* cmd = app.add_subcommand(
        "probe-plugin",
        "Run one plugin factory's probe and print whether it can run here. The host runs this in a child "
        "process for every probe, so a probe that crashes or hangs cannot harm it; exit code 0: it can run, "
        "1: it cannot (or the plugin did not load)");
    cmd->add_option("file", options->file, "The plugin file (.so)")->required()->check(CLI::ExistingFile);
    cmd->add_option("factory", options->factory, "The factory's name, as `tether plugins` lists it")->required();
    cmd->add_option("--kind", options->kind, "The factory's kind, when the plugin has several of that name")
        ->check(CLI::IsMember({"capture", "encoder", "decoder", "transport", "service"}));
    cmd->callback([&global, &exit_code, options] {
        // With --json every outcome is one JSON object, a plugin that does not load included.
        const auto answer = [&](const std::string& kind, const ProbeResult& result) {
            if (global.json) {
                nlohmann::json out{{"file", options->file},
                                   {"factory", options->factory},
                                   {"kind", kind},
                                   {"ok", result.ok},
                                   {"reason", result.reason}};
                if (result.sizes) out["sizes"] = sizes_json(*result.sizes);
                std::cout << out.dump() << std::endl;
            } else {
                std::cout << (result.ok ? "ok" : result.reason)
                          << (result.sizes ? ", sizes " + result.sizes->text() : std::string()) << std::endl;
            }
        };
        PluginRegistry registry;
        if (!registry.load_file(options->file)) {
            const std::string why = "the plugin did not load: " + registry.failures().back().reason;
            if (!global.json) throw std::runtime_error(why);
            answer(options->kind, {false, "failed: " + why, {}});
            exit_code = 1;
            return;
        }
        try {
            const Factory& factory = find_factory(registry, *options);
            const ProbeResult result = probe(factory);
            answer(kind_name(factory.kind), result);
            exit_code = result.ok ? 0 : 1;
        } catch (const UsageError& e) {
            if (!global.json) throw;
            answer(options->kind, {false, std::string("failed: ") + e.what(), {}});
            exit_code = 2;
        }
    });
}

}  // namespace tether::cli
