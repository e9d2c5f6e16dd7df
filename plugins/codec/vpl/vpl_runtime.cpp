#include "vpl_runtime.h"

#include "vpl_status.h"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <new>
#include <optional>

namespace tether::vpl {
namespace {

constexpr std::array runtimes{"libmfx-gen.so.1.2", "libmfxhw64.so.1"};

void filter(mfxLoader loader, const char* property, mfxU32 value) {
    const mfxConfig config = MFXCreateConfig(loader);
    if (config == nullptr) throw std::runtime_error("MFXCreateConfig failed");
    mfxVariant variant{};
    variant.Version.Version = MFX_VARIANT_VERSION;
    variant.Type = MFX_VARIANT_TYPE_U32;
    variant.Data.U32 = value;
    check(MFXSetConfigFilterProperty(config, reinterpret_cast<const mfxU8*>(property), variant),
          "MFXSetConfigFilterProperty");
}

// A loader of hardware implementations, and of those encoding `codec` when given.
LoaderHandle hardware_loader(std::optional<mfxU32> codec) {
    LoaderHandle loader(MFXLoad(), &MFXUnload);
    if (!loader) throw std::bad_alloc();
    filter(loader.get(), "mfxImplDescription.Impl", MFX_IMPL_TYPE_HARDWARE);
    if (codec) filter(loader.get(), "mfxImplDescription.mfxEncoderDescription.encoder.CodecID", *codec);
    return loader;
}

// The loader's first implementation's description for as long as it lives.
class Description {
public:
    explicit Description(mfxLoader loader) : loader_(loader) {
        if (MFXEnumImplementations(loader, 0, MFX_IMPLCAPS_IMPLDESCSTRUCTURE, reinterpret_cast<mfxHDL*>(&description_)) !=
            MFX_ERR_NONE)
            description_ = nullptr;
    }
    ~Description() {
        if (description_ != nullptr) MFXDispReleaseImplDescription(loader_, description_);
    }
    Description(const Description&) = delete;
    Description& operator=(const Description&) = delete;
    const mfxImplDescription* get() const { return description_; }

private:
    mfxLoader loader_;
    mfxImplDescription* description_ = nullptr;
};

// Which runtime libraries this machine has, as the dispatcher would find them.
std::string present_runtimes() {
    std::string found;
    for (const char* name : runtimes) {
        void* library = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
        if (library == nullptr) continue;
        dlclose(library);
        found += (found.empty() ? "" : ", ") + std::string(name);
    }
    return found;
}

}  // namespace

Implementations::Implementations(Codec codec) : codec_(codec), loader_(hardware_loader(codec_id(codec))) {}

void Implementations::require_one() const {
    if (Description(loader()).get() != nullptr) return;
    const std::string codec(codec_name(codec_));
    const LoaderHandle any_codec = hardware_loader(std::nullopt);
    const Description hardware(any_codec.get());
    std::string why;
    if (const mfxImplDescription* d = hardware.get()) {
        why = "the oneVPL runtime " + std::string(d->ImplName) + " on device " + d->Dev.DeviceID + " has no hardware " +
              codec + " encoder";
    } else if (const std::string found = present_runtimes(); !found.empty()) {
        why = "the oneVPL runtime (" + found + ") found no GPU it can drive";
    } else {
        why = "no oneVPL runtime with a hardware " + codec + " encoder (libmfx-gen.so.1.2 / libmfxhw64.so.1 not found)";
    }
    throw Unavailable(why);
}

bool Implementations::describe_limits(tether_encoder_limits& limits) const {
    const Description description(loader());
    const mfxImplDescription* d = description.get();
    if (d == nullptr || d->Enc.Codecs == nullptr) return false;
    bool found = false;
    const mfxU32 id = codec_id(codec_);
    for (mfxU16 c = 0; c < d->Enc.NumCodecs; ++c) {
        const auto& encoder = d->Enc.Codecs[c];
        if (encoder.CodecID != id || encoder.Profiles == nullptr) continue;
        for (mfxU16 p = 0; p < encoder.NumProfiles; ++p) {
            const auto& profile = encoder.Profiles[p];
            for (mfxU16 m = 0; profile.MemDesc != nullptr && m < profile.NumMemTypes; ++m) {
                const auto& memory = profile.MemDesc[m];
                if (memory.MemHandleType != MFX_RESOURCE_SYSTEM_SURFACE) continue;
                limits.min_width = found ? std::min(limits.min_width, memory.Width.Min) : memory.Width.Min;
                limits.min_height = found ? std::min(limits.min_height, memory.Height.Min) : memory.Height.Min;
                limits.max_width = std::max(found ? limits.max_width : 0u, memory.Width.Max);
                limits.max_height = std::max(found ? limits.max_height : 0u, memory.Height.Max);
                found = true;
            }
        }
    }
    return found;
}

Session::Session(Codec codec) : implementations_(codec) {
    implementations_.require_one();
    check(MFXCreateSession(implementations_.loader(), 0, &session_), "MFXCreateSession");
}

Session::~Session() { MFXClose(session_); }

}  // namespace tether::vpl
