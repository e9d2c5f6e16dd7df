/* What the ABI test service (abi_service.c) received, as its plugin-wide
 * extension "tether.test.service/1" shows it to the tests. */
#ifndef ABI_SERVICE_RECORD_H
#define ABI_SERVICE_RECORD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef struct abi_service_record {
    pthread_mutex_t mutex; /* held while the fields change */
    unsigned messages;
    unsigned ended;
    char last_topic[32];
    size_t last_size;
    uint64_t last_session;
    uint32_t last_permissions;
    uint64_t last_ended;
} abi_service_record;

#endif
