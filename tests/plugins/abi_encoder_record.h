/* What the ABI test encoder writes for each picture: how it was coded. */
#ifndef ABI_ENCODER_RECORD_H
#define ABI_ENCODER_RECORD_H

#include <stdint.h>

typedef struct sizes_record {
    uint64_t frame_number;
    uint32_t width;
    uint32_t height;
    uint32_t bitrate_kbps;
    uint32_t fps;
    uint32_t serial; /* which encoder of the process, from 1 */
} sizes_record;

#endif
