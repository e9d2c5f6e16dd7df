// What a hardware encoder throws where this machine cannot encode: no
// driver or runtime, no device, no encoder of the codec. Its probe reports
// the text as TETHER_UNAVAILABLE's reason.
#pragma once

#include <stdexcept>

namespace tether::hw {

class Unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace tether::hw
