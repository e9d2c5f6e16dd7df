// Picks factories for a run from the configuration's preference lists:
// the first named one that probes ok (and fits the request) wins.
#pragma once

#include "context.h"
#include "pipeline/video_service.h"

#include <string>
#include <vector>

namespace tether::cli {

const Factory& choose_capture(const Context& context);
// wanted: "" for the first usable encoder of the config's `[video] encoders`;
// an encoder's name ("vpx-vp9") for that one; a codec ("vp9") for the first
// usable encoder of it. An unknown name or codec is a UsageError listing the known ones.
const Factory& choose_encoder(const Context& context, const std::string& wanted);
std::vector<const Factory*> usable_decoders(const Context& context);
const Factory& choose_transport(const Context& context);

// The configured capturer and the encoder choose_encoder() picks, set up from
// the configuration; with no encoder asked for, the usable encoders of other
// codecs from `[video] encoders` follow it, for viewers that cannot decode its codec.
VideoServiceOptions video_service_options(const Context& context, const std::string& wanted_encoder);

}  // namespace tether::cli
