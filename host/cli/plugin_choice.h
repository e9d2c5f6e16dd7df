// Picks factories for a run from the configuration's preference lists:
// the first named one that probes ok (and fits the request) wins.
#pragma once

#include "context.h"

#include <string>
#include <vector>

namespace tether::cli {

const Factory& choose_capture(const Context& context);
// codec: "" for any; else only encoders of that codec ("vp9").
const Factory& choose_encoder(const Context& context, const std::string& codec);
std::vector<const Factory*> usable_decoders(const Context& context);
const Factory& choose_transport(const Context& context);

tether_encoder_config encoder_config(const Config& config);
tether_capture_config capture_config(const Config& config);

}  // namespace tether::cli
