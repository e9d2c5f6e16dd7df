#include "test_host.h"

#include <map>
#include <mutex>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;

const PluginRegistry& plugins() {
    static PluginRegistry* registry = [] {
        auto* r = new PluginRegistry();  // lives until exit, as plugins do
        r->load_search_path(plugin_search_path({}));
        return r;
    }();
    return *registry;
}

const Factory& plugin(tether_kind kind, const std::string& name) {
    const Factory* f = plugins().find(kind, name);
    if (f == nullptr) throw std::runtime_error("plugin factory missing: " + name);
    return *f;
}

const Factory& test_plugin(const std::string& file, tether_kind kind, const std::string& name) {
    // A registry per file, living until exit as plugins do: loading another file
    // must not move the factories handed out before.
    static auto* registries = new std::map<std::string, std::unique_ptr<PluginRegistry>>();
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    auto& registry = (*registries)[file];
    if (!registry) {
        registry = std::make_unique<PluginRegistry>();
        registry->load_file(std::filesystem::path(TETHER_TEST_PLUGIN_DIR) / (file + ".so"));
    }
    const Factory* f = registry->find(kind, name);
    if (f == nullptr) throw std::runtime_error("test plugin " + file + " offers no " + kind_name(kind) + " " + name);
    return *f;
}

const Factory& encoder_of(const std::string& codec) {
    if (codec == "av1") return plugin(TETHER_KIND_ENCODER, "aom-av1");
    if (codec == "h264") return plugin(TETHER_KIND_ENCODER, "x264-h264");
    return plugin(TETHER_KIND_ENCODER, "vpx-" + codec);
}

const Factory& decoder_of(const std::string& codec) {
    if (codec == "av1") return plugin(TETHER_KIND_DECODER, "dav1d-av1");
    if (codec == "h264") return plugin(TETHER_KIND_DECODER, "avcodec-h264");
    return plugin(TETHER_KIND_DECODER, "vpx-" + codec);
}

VideoServiceOptions synthetic_video(const std::string& codec, uint32_t width, uint32_t height, Pacing pacing) {
    VideoServiceOptions o;
    o.capture = &plugin(TETHER_KIND_CAPTURE, "synthetic");
    o.capture_config = {sizeof(tether_capture_config), width, height, 30, nullptr, 0};
    o.encoder = &encoder_of(codec);
    o.encoder_config = {sizeof(tether_encoder_config), 0, 0, 30, 0, 0, -1};
    o.pacing = pacing;
    return o;
}

VideoServiceOptions synthetic_video(const std::vector<std::string>& codecs, uint32_t width, uint32_t height,
                                    Pacing pacing) {
    VideoServiceOptions o = synthetic_video(codecs.front(), width, height, pacing);
    for (size_t i = 1; i < codecs.size(); ++i) o.other_encoders.push_back(&encoder_of(codecs[i]));
    return o;
}

void wait_for_frames(const session::Viewer& viewer, uint64_t frames, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (viewer.report().frames < frames && !viewer.ended() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
}

session::ViewerOptions view_only(const std::vector<std::string>& codecs) {
    session::ViewerOptions o;
    for (const std::string& codec : codecs) o.decoders.push_back(&decoder_of(codec));
    o.permissions = session::kView;
    return o;
}

namespace {

std::optional<security::PasswordStore> password_store(const TempDir& home, const std::optional<std::string>& password) {
    if (!password) return std::nullopt;
    security::PasswordStore store(home.path() / "password");
    store.set(*password);
    return store;
}

}  // namespace

TestHost::TestHost(VideoServiceOptions options, const std::optional<std::string>& permanent_password,
                   const std::string& scheme)
    : identity(security::load_or_create_identity(home.path())),
      authenticator(session::AccessMode::Attended, password_store(home, permanent_password), session::kAllPermissions),
      video(bus, std::move(options)),
      context{video, bus, identity, authenticator, {}, {}, nullptr},
      transport(Transport::create(plugin(TETHER_KIND_TRANSPORT, scheme))),
      server(transport, "127.0.0.1:0", context) {}

std::unique_ptr<session::Viewer> TestHost::viewer(session::ViewerOptions options, std::optional<std::string> password,
                                                  std::optional<std::string> address) {
    options.password = password ? *password : authenticator.one_time_password();
    auto viewer_transport = Transport::create(plugin(TETHER_KIND_TRANSPORT, transport->vtable().scheme));
    auto channel = net::SecureChannel::connect(viewer_transport->connect(address.value_or(server.address()), 5s),
                                               [&](const std::string&, const security::PublicKey& key) {
                                                   if (key != identity.public_key) throw net::HandshakeError("not our host");
                                               });
    return std::make_unique<session::Viewer>(std::move(channel), std::move(options));
}

std::vector<session::HostSessionReport> TestHost::ended_sessions(size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::vector<session::HostSessionReport> ended;
        for (auto& r : server.reports())
            if (!r.end_reason.empty()) ended.push_back(std::move(r));
        if (ended.size() >= count || std::chrono::steady_clock::now() >= deadline) return ended;
        std::this_thread::sleep_for(10ms);
    }
}

}  // namespace tether::test
