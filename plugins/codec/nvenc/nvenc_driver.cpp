#include "nvenc_driver.h"

#include "hw_status_text.h"
#include "nvenc_loader.h"

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace tether::nvenc {
namespace {

// NvEncodeAPIGetMaxSupportedVersion's form: major << 4 | minor.
constexpr uint32_t needed_api = (NVENCAPI_MAJOR_VERSION << 4) | NVENCAPI_MINOR_VERSION;

std::string api_text(uint32_t version) {
    return std::to_string(version >> 4) + "." + std::to_string(version & 0xf);
}

}  // namespace

Driver::Driver() {
    if (nvenc_load_functions(&nvenc_, nullptr) != 0) throw Unavailable("libnvidia-encode.so.1 not found");
    if (cuda_load_functions(&cuda_, nullptr) != 0) {
        nvenc_free_functions(&nvenc_);
        throw Unavailable("libcuda.so.1 not found, or lacks a CUDA function NVENC needs (libnvidia-encode.so.1 is there)");
    }
    try {
        uint32_t offered = 0;
        check(nvenc_->NvEncodeAPIGetMaxSupportedVersion(&offered), "NvEncodeAPIGetMaxSupportedVersion");
        if (offered < needed_api)
            throw Unavailable("the NVIDIA driver offers NVENC API " + api_text(offered) + "; this plugin needs " +
                              api_text(needed_api) + " (a newer driver)");
        api_.version = NV_ENCODE_API_FUNCTION_LIST_VER;
        check(nvenc_->NvEncodeAPICreateInstance(&api_), "NvEncodeAPICreateInstance");
    } catch (...) {
        cuda_free_functions(&cuda_);
        nvenc_free_functions(&nvenc_);
        throw;
    }
}

Driver::~Driver() {
    cuda_free_functions(&cuda_);
    nvenc_free_functions(&nvenc_);
}

const Driver& Driver::get() {
    // A failed load is tried again on the next call: a probe runs once per process anyway.
    static std::mutex mutex;
    static std::unique_ptr<Driver> loaded;
    const std::lock_guard lock(mutex);
    if (!loaded) loaded.reset(new Driver());
    return *loaded;
}

std::string status_name(NVENCSTATUS status) {
    static constexpr std::array<std::pair<NVENCSTATUS, const char*>, 26> names{{
        {NV_ENC_SUCCESS, "NV_ENC_SUCCESS"},
        {NV_ENC_ERR_NO_ENCODE_DEVICE, "NV_ENC_ERR_NO_ENCODE_DEVICE"},
        {NV_ENC_ERR_UNSUPPORTED_DEVICE, "NV_ENC_ERR_UNSUPPORTED_DEVICE"},
        {NV_ENC_ERR_INVALID_ENCODERDEVICE, "NV_ENC_ERR_INVALID_ENCODERDEVICE"},
        {NV_ENC_ERR_INVALID_DEVICE, "NV_ENC_ERR_INVALID_DEVICE"},
        {NV_ENC_ERR_DEVICE_NOT_EXIST, "NV_ENC_ERR_DEVICE_NOT_EXIST"},
        {NV_ENC_ERR_INVALID_PTR, "NV_ENC_ERR_INVALID_PTR"},
        {NV_ENC_ERR_INVALID_EVENT, "NV_ENC_ERR_INVALID_EVENT"},
        {NV_ENC_ERR_INVALID_PARAM, "NV_ENC_ERR_INVALID_PARAM"},
        {NV_ENC_ERR_INVALID_CALL, "NV_ENC_ERR_INVALID_CALL"},
        {NV_ENC_ERR_OUT_OF_MEMORY, "NV_ENC_ERR_OUT_OF_MEMORY"},
        {NV_ENC_ERR_ENCODER_NOT_INITIALIZED, "NV_ENC_ERR_ENCODER_NOT_INITIALIZED"},
        {NV_ENC_ERR_UNSUPPORTED_PARAM, "NV_ENC_ERR_UNSUPPORTED_PARAM"},
        {NV_ENC_ERR_LOCK_BUSY, "NV_ENC_ERR_LOCK_BUSY"},
        {NV_ENC_ERR_NOT_ENOUGH_BUFFER, "NV_ENC_ERR_NOT_ENOUGH_BUFFER"},
        {NV_ENC_ERR_INVALID_VERSION, "NV_ENC_ERR_INVALID_VERSION"},
        {NV_ENC_ERR_MAP_FAILED, "NV_ENC_ERR_MAP_FAILED"},
        {NV_ENC_ERR_NEED_MORE_INPUT, "NV_ENC_ERR_NEED_MORE_INPUT"},
        {NV_ENC_ERR_ENCODER_BUSY, "NV_ENC_ERR_ENCODER_BUSY"},
        {NV_ENC_ERR_EVENT_NOT_REGISTERD, "NV_ENC_ERR_EVENT_NOT_REGISTERD"},
        {NV_ENC_ERR_GENERIC, "NV_ENC_ERR_GENERIC"},
        {NV_ENC_ERR_INCOMPATIBLE_CLIENT_KEY, "NV_ENC_ERR_INCOMPATIBLE_CLIENT_KEY"},
        {NV_ENC_ERR_UNIMPLEMENTED, "NV_ENC_ERR_UNIMPLEMENTED"},
        {NV_ENC_ERR_RESOURCE_REGISTER_FAILED, "NV_ENC_ERR_RESOURCE_REGISTER_FAILED"},
        {NV_ENC_ERR_RESOURCE_NOT_REGISTERED, "NV_ENC_ERR_RESOURCE_NOT_REGISTERED"},
        {NV_ENC_ERR_RESOURCE_NOT_MAPPED, "NV_ENC_ERR_RESOURCE_NOT_MAPPED"},
    }};
    return hw::status_text<NVENCSTATUS>(names, status, "NVENC status");
}

void check(NVENCSTATUS status, const char* call) {
    if (status != NV_ENC_SUCCESS) throw std::runtime_error(std::string(call) + ": " + status_name(status));
}

void check_cuda(CUresult result, const char* call) {
    if (result == CUDA_SUCCESS) return;
    const char* name = nullptr;
    if (Driver::get().cuda().cuGetErrorName(result, &name) != CUDA_SUCCESS || name == nullptr) name = "unknown error";
    throw std::runtime_error(std::string(call) + ": " + name);
}

}  // namespace tether::nvenc
