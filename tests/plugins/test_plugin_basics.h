/* What the test plugins share before their own code: a reason written into
 * the caller's error buffer, and a probe that always says yes. */
#ifndef TEST_PLUGIN_BASICS_H
#define TEST_PLUGIN_BASICS_H

#include <tether/plugin.h>

#include <stdio.h>

static inline void fail(tether_error* err, const char* text) {
    if (err != NULL && err->capacity > 0) snprintf(err->text, err->capacity, "%s", text);
}

static inline int probe(const tether_host_api* host, tether_error* why) {
    (void)host;
    (void)why;
    return TETHER_OK;
}

#endif
