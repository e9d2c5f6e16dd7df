// What a TCP connection to the rendezvous server opens with, checked before
// the server acts on it: a host's Register, a viewer's Lookup or a relay's
// RelayAnnounce, with every field bounded and address lists trimmed to valid
// entries; anything else is refused with the reason to count.
#pragma once

#include "rendezvous.pb.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tether::server {

struct Refused {
    std::string_view reason;  // one of refusal::
};

using FirstFrame = std::variant<proto::Register, proto::Lookup, proto::RelayAnnounce, Refused>;

FirstFrame classify_first_frame(std::span<const uint8_t> body);

// The valid "ip:port" entries, at most kMaxAddresses, each at most kMaxEndpointText long.
std::vector<std::string> valid_endpoints(const google::protobuf::RepeatedPtrField<std::string>& addresses);

}  // namespace tether::server
