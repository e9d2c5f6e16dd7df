// An NVENC session on the first CUDA device: what the probe asks the device
// and what an encoder encodes through. Calls into NVENC are made with the
// session's CUDA context current (CurrentContext), as FFmpeg's nvenc does,
// so an encoder may be used from any thread.
#pragma once

#include "nvenc_driver.h"
#include "nvenc_settings.h"

#include <string>

namespace tether::nvenc {

class Session {
public:
    // Throws Unavailable when there is no CUDA device or it has no encoder,
    // std::runtime_error when the driver refuses a session.
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const NV_ENCODE_API_FUNCTION_LIST& api() const { return Driver::get().api(); }
    void* encoder() const { return encoder_; }
    CUcontext context() const { return context_; }
    const std::string& device_name() const { return device_name_; }

    // Whether the device lists `codec` among its encoders (NvEncGetEncodeGUIDs).
    bool lists(Codec codec) const;
    // Throws Unavailable unless the device encodes `codec` and this build can configure it.
    void require(Codec codec) const;
    int caps(Codec codec, NV_ENC_CAPS which) const;
    // The driver's configuration for the preset `speed` maps to, under
    // ultra-low-latency tuning (NvEncGetEncodePresetConfigEx).
    NV_ENC_CONFIG preset_config(Codec codec, int32_t speed) const;

private:
    CUcontext context_ = nullptr;
    void* encoder_ = nullptr;
    std::string device_name_;
};

// The session's context current on this thread for the scope's life.
class CurrentContext {
public:
    explicit CurrentContext(CUcontext context);
    ~CurrentContext();
    CurrentContext(const CurrentContext&) = delete;
    CurrentContext& operator=(const CurrentContext&) = delete;
};

}  // namespace tether::nvenc
