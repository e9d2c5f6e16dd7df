// Picks factories for a run from the configuration's preference lists:
// the first named one that probes ok (and fits the request) wins.
#pragma once

#include "context.h"
#include "pipeline/video_service.h"

#include <string>
#include <vector>

namespace tether::cli {

const Factory& choose_capture(const Context& context);
// codec: "" for any; else only encoders of that codec ("vp9").
const Factory& choose_encoder(const Context& context, const std::string& codec);
std::vector<const Factory*> usable_decoders(const Context& context);
const Factory& choose_transport(const Context& context);

// The configured capturer and the first usable encoder of `codec`, set up from the configuration.
VideoServiceOptions video_service_options(const Context& context, const std::string& codec);

}  // namespace tether::cli
