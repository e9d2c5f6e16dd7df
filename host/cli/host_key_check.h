// The viewer's decision about a host's identity key: pinned on first use in
// <data-dir>/known_hosts under the address the user typed and the host's peer
// ID, refused when either name is pinned to another key unless the user
// accepts the new fingerprint on purpose.
#pragma once

#include "net/secure_channel.h"
#include "security/known_hosts.h"

#include <optional>
#include <string>

namespace tether::cli {

// `accept_fingerprint`: the one key the user agreed to (--accept-key); any other is refused.
// `address`: as the user typed it, pinned under security::pin_name_of(address) and quoted in
// the refusal's advice so that it is copy-pasteable. Throws UsageError when it cannot be a name.
net::SecureChannel::HostCheck pinned_host_check(security::KnownHosts& known_hosts,
                                                std::optional<std::string> accept_fingerprint, const std::string& address);

}  // namespace tether::cli
