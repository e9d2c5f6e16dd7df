#include "plugins_command.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>

namespace tether::cli {
namespace {


nlohmann::json capabilities(const Factory& f) {
    switch (f.kind) {
    case TETHER_KIND_CAPTURE: return {{"formats", pixel_format_names(f.table<tether_capture_vtable>().formats)}};
    case TETHER_KIND_ENCODER: {
        const auto& vt = f.table<tether_encoder_vtable>();
        return {{"codec", vt.codec},
                {"formats", pixel_format_names(vt.formats)},
                {"hardware", (vt.flags & TETHER_CODEC_HARDWARE) != 0},
                {"max_width", vt.max_width},
                {"max_height", vt.max_height}};
    }
    case TETHER_KIND_DECODER: {
        const auto& vt = f.table<tether_decoder_vtable>();
        return {{"codec", vt.codec}, {"formats", pixel_format_names(vt.formats)}, {"hardware", (vt.flags & TETHER_CODEC_HARDWARE) != 0}};
    }
    case TETHER_KIND_TRANSPORT: {
        const auto& vt = f.table<tether_transport_vtable>();
        return {{"scheme", vt.scheme},
                {"reliable", (vt.flags & TETHER_TRANSPORT_RELIABLE) != 0},
                {"ordered", (vt.flags & TETHER_TRANSPORT_ORDERED) != 0},
                {"nat_traversal", (vt.flags & TETHER_TRANSPORT_NAT_TRAVERSAL) != 0},
                {"needs_rendezvous", (vt.flags & TETHER_TRANSPORT_NEEDS_RENDEZVOUS) != 0},
                {"max_message_size", vt.max_message_size}};
    }
    case TETHER_KIND_SERVICE: return nlohmann::json::object();
    }
    return nlohmann::json::object();
}

std::string abi_text(uint32_t v) {
    return std::to_string(TETHER_ABI_MAJOR_OF(v)) + "." + std::to_string(TETHER_ABI_MINOR_OF(v));
}

// One entry per plugin file, its factories inside; "probe" is "ok" when every factory can run.
nlohmann::json describe(const PluginRegistry& registry, const PluginChooser& chooser) {
    std::map<std::string, nlohmann::json> by_plugin;
    std::vector<std::string> order;
    for (const Factory& f : registry.factories()) {
        auto [it, added] = by_plugin.try_emplace(f.plugin_name());
        nlohmann::json& p = it->second;
        if (added) {
            order.push_back(f.plugin_name());
            p = {{"name", f.plugin_name()},
                 {"version", f.plugin_version()},
                 {"file", f.plugin_file().string()},
                 {"abi_version", abi_text(f.abi_version())},
                 {"kinds", nlohmann::json::array()},
                 {"factories", nlohmann::json::array()},
                 {"probe", "ok"}};
        }
        const ProbeResult r = chooser.probe(f);
        const std::string probe_text = r.ok ? "ok" : r.reason;
        if (!r.ok && p["probe"] == "ok") p["probe"] = f.name + ": " + probe_text;
        if (std::find(p["kinds"].begin(), p["kinds"].end(), kind_name(f.kind)) == p["kinds"].end())
            p["kinds"].push_back(kind_name(f.kind));
        p["factories"].push_back({{"name", f.name},
                                  {"kind", kind_name(f.kind)},
                                  {"description", f.description},
                                  {"rank", f.rank},
                                  {"capabilities", capabilities(f)},
                                  {"probe", probe_text}});
        // An encoder's device may take fewer sizes than its table says (ABI 1.6 limits).
        if (r.sizes) p["factories"].back()["device_sizes"] = r.sizes->text();
    }
    nlohmann::json out = {{"host_abi_version", abi_text(TETHER_ABI_CURRENT)}, {"plugins", nlohmann::json::array()},
                          {"refused", nlohmann::json::array()}};
    for (const auto& name : order) out["plugins"].push_back(by_plugin[name]);
    for (const auto& failure : registry.failures())
        out["refused"].push_back({{"file", failure.file.string()}, {"reason", failure.reason}});
    return out;
}

void print_human(const nlohmann::json& all) {
    for (const auto& p : all["plugins"]) {
        std::cout << p["name"].get<std::string>() << " " << p["version"].get<std::string>() << "  (ABI "
                  << p["abi_version"].get<std::string>() << ", " << p["file"].get<std::string>() << ")\n";
        for (const auto& f : p["factories"])
            std::cout << "  " << f["kind"].get<std::string>() << " " << f["name"].get<std::string>() << "  "
                      << f["capabilities"].dump() << "  probe: " << f["probe"].get<std::string>()
                      << (f.contains("device_sizes") ? " (its device takes " + f["device_sizes"].get<std::string>() + ")" : "")
                      << "\n";
    }
    for (const auto& r : all["refused"])
        std::cout << "refused " << r["file"].get<std::string>() << ": " << r["reason"].get<std::string>() << "\n";
}

}  // namespace

void add_plugins_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    CLI::App* cmd = app.add_subcommand(
        "plugins", "List plugins, their capabilities and whether they can run here. Each factory's probe runs in a "
                   "child process (a crash or hang is reported, not suffered); its answer is kept until the plugin "
                   "file or what the probe depends on changes");
    auto fresh = std::make_shared<bool>(false);
    cmd->add_flag("--reprobe", *fresh, "Probe every factory again instead of using the answers kept from earlier runs");
    cmd->callback([&global, &exit_code, fresh] {
        const auto context = make_context(global, {}, *fresh);
        const nlohmann::json all = describe(context->registry, *context->chooser);
        if (global.json)
            std::cout << all.dump() << std::endl;
        else
            print_human(all);
        exit_code = 0;
    });
}

}  // namespace tether::cli
