#include "nvenc_session.h"

#include "nvenc_loader.h"

#include <algorithm>
#include <array>
#include <vector>

namespace tether::nvenc {
namespace {

constexpr uint32_t max_listed_codecs = 64;  // the driver's count is bounded before we allocate for it

CUcontext create_context(std::string& device_name) {
    const CudaFunctions& cuda = Driver::get().cuda();
    check_cuda(cuda.cuInit(0), "cuInit");
    int devices = 0;
    check_cuda(cuda.cuDeviceGetCount(&devices), "cuDeviceGetCount");
    if (devices < 1) throw Unavailable("the NVIDIA driver sees no CUDA device");
    CUdevice device = 0;
    check_cuda(cuda.cuDeviceGet(&device, 0), "cuDeviceGet");
    std::array<char, 256> name{};
    if (cuda.cuDeviceGetName(name.data(), static_cast<int>(name.size() - 1), device) == CUDA_SUCCESS)
        device_name = name.data();
    CUcontext context = nullptr;
    check_cuda(cuda.cuCtxCreate(&context, 0, device), "cuCtxCreate");
    CUcontext popped = nullptr;
    cuda.cuCtxPopCurrent(&popped);  // current only inside CurrentContext scopes
    return context;
}

}  // namespace

CurrentContext::CurrentContext(CUcontext context) {
    check_cuda(Driver::get().cuda().cuCtxPushCurrent(context), "cuCtxPushCurrent");
}

CurrentContext::~CurrentContext() {
    CUcontext popped = nullptr;
    Driver::get().cuda().cuCtxPopCurrent(&popped);
}

Session::Session() : context_(create_context(device_name_)) {
    NVENCSTATUS status = NV_ENC_SUCCESS;
    {
        const CurrentContext current(context_);
        NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS params{};
        params.version = NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER;
        params.deviceType = NV_ENC_DEVICE_TYPE_CUDA;
        params.device = context_;
        params.apiVersion = NVENCAPI_VERSION;
        status = api().nvEncOpenEncodeSessionEx(&params, &encoder_);
        // The driver may hand back a session to destroy even when it refuses one.
        if (status != NV_ENC_SUCCESS && encoder_ != nullptr) api().nvEncDestroyEncoder(encoder_);
    }
    if (status == NV_ENC_SUCCESS) return;
    Driver::get().cuda().cuCtxDestroy(context_);
    const std::string what = "the GPU " + device_name_ + " opens no encode session (" + status_name(status) + ")";
    if (status == NV_ENC_ERR_NO_ENCODE_DEVICE || status == NV_ENC_ERR_UNSUPPORTED_DEVICE) throw Unavailable(what);
    throw std::runtime_error(what);
}

Session::~Session() {
    {
        const CurrentContext current(context_);
        api().nvEncDestroyEncoder(encoder_);
    }
    Driver::get().cuda().cuCtxDestroy(context_);
}

bool Session::lists(Codec codec) const {
    uint32_t count = 0;
    check(api().nvEncGetEncodeGUIDCount(encoder_, &count), "NvEncGetEncodeGUIDCount");
    std::vector<GUID> guids(std::min(count, max_listed_codecs));
    uint32_t listed = 0;
    check(api().nvEncGetEncodeGUIDs(encoder_, guids.data(), static_cast<uint32_t>(guids.size()), &listed),
          "NvEncGetEncodeGUIDs");
    guids.resize(std::min<size_t>(listed, guids.size()));
    const GUID wanted = codec_guid(codec);
    return std::ranges::any_of(guids, [&](const GUID& g) { return same_guid(g, wanted); });
}

void Session::require(Codec codec) const {
    const std::string name(codec_name(codec));
    if (!lists(codec)) throw Unavailable("the GPU " + device_name_ + " has no " + name + " encoder");
    if (codec == Codec::av1 && !headers_configure_av1)
        throw Unavailable("the GPU " + device_name_ +
                          " encodes av1, but this plugin was built with NVENC API " +
                          std::to_string(NVENCAPI_MAJOR_VERSION) + "." + std::to_string(NVENCAPI_MINOR_VERSION) +
                          " headers, which cannot configure it (Video Codec SDK 12 or later is needed)");
}

int Session::caps(Codec codec, NV_ENC_CAPS which) const {
    NV_ENC_CAPS_PARAM param{};
    param.version = NV_ENC_CAPS_PARAM_VER;
    param.capsToQuery = which;
    int value = 0;
    check(api().nvEncGetEncodeCaps(encoder_, codec_guid(codec), &param, &value), "NvEncGetEncodeCaps");
    return value;
}

NV_ENC_CONFIG Session::preset_config(Codec codec, int32_t speed) const {
    NV_ENC_PRESET_CONFIG preset{};
    preset.version = NV_ENC_PRESET_CONFIG_VER;
    preset.presetCfg.version = NV_ENC_CONFIG_VER;
    check(api().nvEncGetEncodePresetConfigEx(encoder_, codec_guid(codec), preset_guid(speed),
                                             NV_ENC_TUNING_INFO_ULTRA_LOW_LATENCY, &preset),
          "NvEncGetEncodePresetConfigEx");
    return preset.presetCfg;
}

}  // namespace tether::nvenc
