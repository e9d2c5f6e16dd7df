// oneVPL's dispatcher (libvpl, linked: it is itself a loader and finds the
// runtime at run time) narrowed to hardware implementations that encode one
// codec, and the first of them as a session. The runtimes it looks for are
// libmfx-gen.so.1.2 (Intel Xe and Gen12+ GPUs) and libmfxhw64.so.1 (older ones).
#pragma once

#include "hw_unavailable.h"
#include "vpl_settings.h"

#include <vpl/mfxdispatcher.h>
#include <vpl/mfximplcaps.h>

#include <memory>
#include <string>

namespace tether::vpl {

using hw::Unavailable;

using LoaderHandle = std::unique_ptr<std::remove_pointer_t<mfxLoader>, decltype(&MFXUnload)>;

// A dispatcher that lists only hardware implementations encoding `codec`.
class Implementations {
public:
    explicit Implementations(Codec codec);
    Implementations(const Implementations&) = delete;
    Implementations& operator=(const Implementations&) = delete;

    // Throws Unavailable with the first thing missing: a runtime, a device
    // it drives, or an encoder of the codec on it.
    void require_one() const;

    // The first implementation's encoder limits for system-memory input,
    // the widest over its profiles; false when its description has none.
    bool describe_limits(tether_encoder_limits& limits) const;

    mfxLoader loader() const { return loader_.get(); }

private:
    Codec codec_;
    LoaderHandle loader_;
};

// A session on the first implementation that encodes `codec`; MFXClose on destruction.
class Session {
public:
    explicit Session(Codec codec);  // throws Unavailable, or std::runtime_error
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    mfxSession get() const { return session_; }

private:
    Implementations implementations_;
    mfxSession session_ = nullptr;
};

}  // namespace tether::vpl
