// The plugins a run uses, chosen from the configuration's preference lists
// by the one PluginChooser.
#pragma once

#include "core/plugin_chooser.h"
#include "video_service.h"

#include <string>
#include <vector>

namespace tether {

const Factory& choose_capture(const Config& config, const PluginChooser& chooser);
// wanted: "" for the first usable encoder of `[video] encoders`; an encoder's
// name ("vpx-vp9") for that one; a codec ("vp9") for the configured encoders
// of it, then every other encoder of it, the highest rank first. A name that
// is neither is a ConfigError listing what is known.
const Factory& choose_encoder(const Config& config, const PluginChooser& chooser, const Factory& capture,
                              const std::string& wanted);
std::vector<const Factory*> usable_decoders(const Config& config, const PluginChooser& chooser);
const Factory& choose_transport(const Config& config, const PluginChooser& chooser);
// The first transport of `[network] transports` that punches through NATs
// (transport-udp), raced beside the others when connecting by ID; null: none.
const Factory* choose_punching_transport(const Config& config, const PluginChooser& chooser);

// The configured capturer and the encoder choose_encoder() picks, set up from
// the configuration; with no encoder asked for, the usable encoders of other
// codecs from `[video] encoders` follow it, for viewers that cannot decode its codec.
VideoServiceOptions video_service_options(const Config& config, const PluginChooser& chooser,
                                          const std::string& wanted_encoder);

}  // namespace tether
