#include "packet_input.h"

#include <stdexcept>
#include <string>

namespace tether::codec {

void require_packet(const uint8_t* data, size_t size) {
    if (data == nullptr || size == 0) throw std::invalid_argument("empty packet");
    if (size > max_packet_bytes) {
        throw std::invalid_argument("packet of " + std::to_string(size) + " bytes exceeds the " +
                                    std::to_string(max_packet_bytes) + "-byte limit");
    }
}

}  // namespace tether::codec
