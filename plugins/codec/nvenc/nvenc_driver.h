// The NVIDIA driver's libraries, opened at run time (never linked, so the
// plugin loads and says why it cannot run on a machine without them):
// libnvidia-encode.so.1 for NVENC and libcuda.so.1 for the device context.
#pragma once

#include "hw_unavailable.h"

#include <ffnvcodec/dynlink_cuda.h>
#include <ffnvcodec/nvEncodeAPI.h>

#include <string>

struct CudaFunctions;
struct NvencFunctions;

namespace tether::nvenc {

using hw::Unavailable;

class Driver {
public:
    // The process's one copy, loaded on first use. Throws Unavailable with
    // "libnvidia-encode.so.1 not found" and the like.
    static const Driver& get();

    const NV_ENCODE_API_FUNCTION_LIST& api() const { return api_; }
    const CudaFunctions& cuda() const { return *cuda_; }

    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;
    ~Driver();

private:
    Driver();
    NvencFunctions* nvenc_ = nullptr;
    CudaFunctions* cuda_ = nullptr;
    NV_ENCODE_API_FUNCTION_LIST api_{};
};

// NVENC's name for a status ("NV_ENC_ERR_NO_ENCODE_DEVICE").
std::string status_name(NVENCSTATUS status);

// Throws std::runtime_error "<call>: <status name>" unless `status` is NV_ENC_SUCCESS.
void check(NVENCSTATUS status, const char* call);

// The same for a CUDA call, with the driver's own name for the error.
void check_cuda(CUresult result, const char* call);

}  // namespace tether::nvenc
