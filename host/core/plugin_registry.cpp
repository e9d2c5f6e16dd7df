#include "plugin_registry.h"

#include "host_api.h"
#include "plugin_error_text.h"
#include "plugin_kinds.h"

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <array>
#include <cstdlib>
#include <set>
#include <sstream>
#include <system_error>

namespace tether {

class LoadedPlugin {
public:
    LoadedPlugin(std::filesystem::path file, boost::dll::shared_library library, const tether_plugin_descriptor* desc,
                 uint32_t agreed_abi)
        : file_(std::move(file)), library_(std::move(library)), desc_(desc), name_(desc->name),
          version_(desc->version ? desc->version : ""), abi_(agreed_abi) {
        host_ = *host_api();
        host_.abi_version = agreed_abi;
    }
    ~LoadedPlugin() {
        if (initialised_) desc_->deinit();
    }
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    bool init(std::string& reason) {
        PluginErrorText why;
        if (desc_->init(&host_, &why.err) != TETHER_OK) {
            reason = "init failed: " + why.str("no reason given");
            return false;
        }
        initialised_ = true;
        return true;
    }

    const std::filesystem::path& file() const { return file_; }
    const std::string& name() const { return name_; }
    const std::string& version() const { return version_; }
    uint32_t abi() const { return abi_; }
    const tether_host_api* host() const { return &host_; }
    const tether_plugin_descriptor& descriptor() const { return *desc_; }

private:
    std::filesystem::path file_;
    boost::dll::shared_library library_;  // unloaded last, after deinit
    const tether_plugin_descriptor* desc_;
    std::string name_;
    std::string version_;
    uint32_t abi_;
    tether_host_api host_{};
    bool initialised_ = false;
};

const std::string& Factory::plugin_name() const { return plugin->name(); }
const std::filesystem::path& Factory::plugin_file() const { return plugin->file(); }
std::string Factory::plugin_version() const { return plugin->version(); }
uint32_t Factory::abi_version() const { return plugin->abi(); }
const tether_host_api* Factory::host() const { return plugin->host(); }

const char* kind_name(tether_kind kind) {
    const KindTraits* traits = traits_of(kind);
    return traits ? traits->name : "unknown";
}

namespace {

std::string abi_string(uint32_t version) {
    return std::to_string(TETHER_ABI_MAJOR_OF(version)) + "." + std::to_string(TETHER_ABI_MINOR_OF(version));
}

// Why a factory cannot be used, or empty when it can.
std::string check_factory(const tether_factory* f) {
    if (f->struct_size < TETHER_FACTORY_SIZE_1_0) return "factory struct smaller than ABI 1.0 requires";
    if (f->name == nullptr || *f->name == '\0') return "factory without a name";
    const KindTraits* traits = traits_of(f->kind);
    if (traits == nullptr) return "unknown kind " + std::to_string(f->kind);
    if (f->vtable == nullptr) return "no function table";
    // Only what 1.0 defines is required: later functions are optional and read when the table holds them.
    if (*static_cast<const uint32_t*>(f->vtable) < traits->table_size_1_0)
        return "function table smaller than ABI 1.0 requires";
    if (const char* why = traits->incomplete(f->vtable)) return why;
    return {};
}

// The descriptor fields every 1.0 plugin must fill.
std::string check_descriptor(const tether_plugin_descriptor* d) {
    if (d->struct_size < TETHER_PLUGIN_DESCRIPTOR_SIZE_1_0) return "descriptor smaller than ABI 1.0 requires";
    if (d->name == nullptr || *d->name == '\0') return "descriptor without a name";
    if (!d->negotiate || !d->init || !d->deinit || !d->get_factory) return "descriptor has missing functions";
    return {};
}

// The host's view of a checked factory; fields a later minor added are read
// only when the plugin agreed to that minor and its struct holds them.
Factory made_factory(const std::shared_ptr<LoadedPlugin>& plugin, const tether_factory& f) {
    Factory made;
    made.plugin = plugin;
    made.kind = static_cast<tether_kind>(f.kind);
    made.name = f.name;
    made.description = f.description ? f.description : "";
    made.rank = f.rank;
    made.vtable = f.vtable;
    if (TETHER_ABI_MINOR_OF(plugin->abi()) < 3 || !TETHER_HAS_FIELD(&f, tether_factory, probe_inputs)) return made;
    made.check_setting = f.check_setting;
    for (const char* const* input = f.probe_inputs; input != nullptr && *input != nullptr; ++input)
        made.probe_inputs.emplace_back(*input);
    return made;
}

}  // namespace

PluginRegistry::PluginRegistry() = default;

PluginRegistry::~PluginRegistry() {
    // Factories hold references too; drop them before the plugins so deinit runs in load order reversed.
    factories_.clear();
    while (!plugins_.empty()) plugins_.pop_back();
}

bool PluginRegistry::load_file(const std::filesystem::path& file) {
    auto refuse = [&](const std::string& reason) {
        spdlog::warn("plugin {} refused: {}", file.string(), reason);
        failures_.push_back({file, reason});
        return false;
    };

    std::error_code not_regular;
    // A FIFO or device would block the loader, or never end.
    if (!std::filesystem::is_regular_file(file, not_regular)) return refuse("not a regular file");
    boost::dll::shared_library library;
    try {
        // RTLD_NOW: a missing symbol fails here, not mid-stream. RTLD_LOCAL: no cross-plugin shadowing.
        library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        const char* dl_error = std::strstr(e.what(), "dlerror system message: ");
        return refuse(std::string("cannot load: ") + (dl_error ? dl_error + 24 : e.what()));
    }
    if (!library.has(TETHER_ENTRY_SYMBOL)) return refuse("not a Tether plugin: no " TETHER_ENTRY_SYMBOL " symbol");

    const auto entry = library.get<const tether_plugin_descriptor*()>(TETHER_ENTRY_SYMBOL);
    const tether_plugin_descriptor* desc = entry();
    if (desc == nullptr) return refuse(TETHER_ENTRY_SYMBOL " returned nothing");
    if (desc->struct_size < offsetof(tether_plugin_descriptor, abi_version) + sizeof(uint32_t))
        return refuse("descriptor too small to hold a version");
    if (TETHER_ABI_MAJOR_OF(desc->abi_version) != TETHER_ABI_MAJOR)
        return refuse("built for plugin ABI " + abi_string(desc->abi_version) + ", this host speaks " +
                      abi_string(TETHER_ABI_CURRENT));
    if (std::string why = check_descriptor(desc); !why.empty()) return refuse(why);

    const uint32_t agreed = desc->negotiate(TETHER_ABI_CURRENT);
    if (agreed == 0 || TETHER_ABI_MAJOR_OF(agreed) != TETHER_ABI_MAJOR || agreed > TETHER_ABI_CURRENT)
        return refuse("refused ABI negotiation (host offers " + abi_string(TETHER_ABI_CURRENT) + ")");

    const std::string name = desc->name;
    for (const auto& loaded : plugins_) {
        if (loaded->name() == name) {
            spdlog::info("plugin {} ({}) skipped: already loaded from {}", name, file.string(), loaded->file().string());
            return false;
        }
    }

    auto plugin = std::make_shared<LoadedPlugin>(file, std::move(library), desc, agreed);
    std::string reason;
    if (!plugin->init(reason)) return refuse(reason);

    for (uint32_t i = 0;; ++i) {
        const tether_factory* f = desc->get_factory(i);
        if (f == nullptr) break;
        if (std::string why = check_factory(f); !why.empty()) {
            refuse("factory " + std::to_string(i) + " (" + (f->name ? f->name : "?") + ") skipped: " + why);
            continue;
        }
        const auto kind = static_cast<tether_kind>(f->kind);
        if (find(kind, f->name) != nullptr) {
            spdlog::info("{} {} from {} skipped: name taken by an earlier plugin", kind_name(kind), f->name, name);
            continue;
        }
        factories_.push_back(made_factory(plugin, *f));
    }
    spdlog::debug("plugin {} {} loaded from {} (ABI {})", name, plugin->version(), file.string(), abi_string(agreed));
    plugins_.push_back(std::move(plugin));
    return true;
}

void PluginRegistry::load_search_path(const std::vector<std::filesystem::path>& folders) {
    for (const auto& folder : folders) {
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
            std::error_code unknown_type;  // a file gone meanwhile is simply left out
            if (entry.path().extension() == ".so" && entry.is_regular_file(unknown_type)) files.push_back(entry.path());
        }
        if (ec) {
            spdlog::warn("plugin folder {} unreadable: {}", folder.string(), ec.message());
            continue;
        }
        std::sort(files.begin(), files.end());  // a stable order makes "first wins" predictable
        for (const auto& file : files) load_file(file);
    }
}

const Factory* PluginRegistry::find(tether_kind kind, std::string_view name) const {
    for (const auto& f : factories_)
        if (f.kind == kind && f.name == name) return &f;
    return nullptr;
}

std::vector<const Factory*> PluginRegistry::of_kind(tether_kind kind) const {
    std::vector<const Factory*> found;
    for (const auto& f : factories_)
        if (f.kind == kind) found.push_back(&f);
    std::stable_sort(found.begin(), found.end(), [](const Factory* a, const Factory* b) { return a->rank > b->rank; });
    return found;
}

std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& configured) {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("TETHER_PLUGIN_PATH")) {
        std::stringstream list(env);
        for (std::string item; std::getline(list, item, ':');)
            if (!item.empty()) candidates.emplace_back(item);
    }
    for (const auto& folder : configured) candidates.emplace_back(folder);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back(exe.parent_path().parent_path() / "lib/tether/plugins");
    std::vector<std::filesystem::path> folders;
    std::set<std::filesystem::path> seen;
    for (const auto& candidate : candidates) {
        const auto canonical = std::filesystem::weakly_canonical(candidate, ec);
        if (ec || !std::filesystem::is_directory(canonical, ec) || !seen.insert(canonical).second) continue;
        folders.push_back(canonical);
    }
    return folders;
}

}  // namespace tether
