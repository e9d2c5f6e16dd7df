// The host's callbacks of one connection, used on the network thread:
// copied from the ABI's struct as far as the host's version has it, asked
// for the largest message before each one, handed each message (to
// on_channel_message when the host set it, ABI 1.5), and told of the end
// exactly once.
#pragma once

#include "message_limits.h"

#include <tether/plugin.h>

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace tether::transport {

class HostCallbacks {
public:
    // A host built against a shorter struct leaves the newer fields zero.
    static tether_connection_callbacks copy_of(const tether_connection_callbacks& given) {
        tether_connection_callbacks copy{};
        std::memcpy(&copy, &given, std::min<size_t>(given.struct_size, sizeof copy));
        return copy;
    }

    void set(const tether_connection_callbacks& callbacks) { callbacks_ = callbacks; }

    size_t limit() const {
        const size_t asked =
            callbacks_.max_message_size != nullptr ? callbacks_.max_message_size(callbacks_.ctx) : kMaxMessageSize;
        return std::min<size_t>(asked, kMaxMessageSize);
    }

    void deliver(const uint8_t* data, size_t size) const {
        if (callbacks_.on_channel_message != nullptr)
            callbacks_.on_channel_message(callbacks_.ctx, 0, 0, data, size);
        else if (callbacks_.on_message != nullptr)
            callbacks_.on_message(callbacks_.ctx, data, size);
    }

    // Once; later calls do nothing.
    void closed(const std::string& reason) {
        if (std::exchange(closed_, true)) return;
        if (callbacks_.on_closed != nullptr) callbacks_.on_closed(callbacks_.ctx, reason.c_str());
    }

private:
    tether_connection_callbacks callbacks_{};
    bool closed_ = false;
};

// Bytes the kernel holds unacknowledged on socket `fd`: a peer that stops
// reading first fills the socket's buffer, and latency with it.
inline size_t unacknowledged_bytes(int fd) {
    int in_kernel = 0;
    return ioctl(fd, SIOCOUTQ, &in_kernel) == 0 && in_kernel > 0 ? static_cast<size_t>(in_kernel) : 0;
}

}  // namespace tether::transport
