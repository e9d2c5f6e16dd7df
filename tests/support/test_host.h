// A real host on 127.0.0.1 as `tether host` runs one — its own identity in a
// temporary folder, a one-time password, the real plugins — and the ways a
// test connects to it.
#pragma once

#include "core/plugin_objects.h"
#include "session/host_server.h"
#include "session/viewer.h"
#include "temp_dir.h"

#include <memory>
#include <string>

namespace tether::test {

// The build's plugins, loaded once per test program.
const PluginRegistry& plugins();
const Factory& plugin(tether_kind kind, const std::string& name);
// A factory of a test plugin (tests/plugins, built into TETHER_TEST_PLUGIN_DIR), loaded once.
const Factory& test_plugin(const std::string& file, tether_kind kind, const std::string& name);

// The synthetic desktop at the given size through vpx-<codec>: by default every
// frame encoded as fast as the encoder goes, or at 30 fps as a live desktop.
// The encoder and decoder the tests use for a codec: vpx-vp8, vpx-vp9, aom-av1 and dav1d-av1, x264-h264 and avcodec-h264.
const Factory& encoder_of(const std::string& codec);
const Factory& decoder_of(const std::string& codec);
VideoServiceOptions synthetic_video(const std::string& codec, uint32_t width, uint32_t height,
                                    Pacing pacing = Pacing::Lockstep);
// As synthetic_video(), offering an encoder of each codec in that order.
VideoServiceOptions synthetic_video(const std::vector<std::string>& codecs, uint32_t width, uint32_t height,
                                    Pacing pacing = Pacing::Lockstep);
// A viewer that may only view, decoding these codecs in that order of preference.
session::ViewerOptions view_only(const std::vector<std::string>& codecs);
inline session::ViewerOptions view_only(const std::string& codec) { return view_only(std::vector{codec}); }

// Until the viewer has shown `frames` pictures, has ended, or `timeout` passed.
void wait_for_frames(const session::Viewer& viewer, uint64_t frames, std::chrono::milliseconds timeout);

struct TestHost {
    TempDir home;
    security::Identity identity;
    session::Authenticator authenticator;
    Bus bus;
    VideoService video;
    session::HostContext context;
    std::shared_ptr<Transport> transport;
    session::HostServer server;

    // With `permanent_password`, that password opens sessions too (an Argon2id check, as in `tether passwd`).
    // `scheme`: the transport it listens on, and its viewers connect with.
    explicit TestHost(VideoServiceOptions options, const std::optional<std::string>& permanent_password = {},
                      const std::string& scheme = "tcp");
    // A viewer on its own transport, logged in with `password` (default: the current one-time password),
    // connecting to `address` (default: the host's own).
    std::unique_ptr<session::Viewer> viewer(session::ViewerOptions options, std::optional<std::string> password = {},
                                            std::optional<std::string> address = {});
    // The reports of every session, once `count` of them have ended (or the time is up).
    std::vector<session::HostSessionReport> ended_sessions(size_t count, std::chrono::milliseconds timeout);
};

}  // namespace tether::test
