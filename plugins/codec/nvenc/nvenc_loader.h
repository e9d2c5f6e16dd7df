// FFmpeg's header-only loader of the NVIDIA driver's libraries
// (libffmpeg-nvenc-dev), with its messages silenced: a missing library is
// reported once, as the probe's reason, by Driver.
#pragma once

#define FFNV_LOG_FUNC(logctx, msg, ...) ((void)(logctx))
#define FFNV_DEBUG_LOG_FUNC(logctx, msg, ...) ((void)(logctx))
#include <ffnvcodec/dynlink_loader.h>
