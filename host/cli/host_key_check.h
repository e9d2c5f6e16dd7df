// The viewer's decision about a host's identity key: pinned on first use in
// <data-dir>/known_hosts, refused when it changes unless the user accepts
// the new fingerprint on purpose.
#pragma once

#include "net/secure_channel.h"
#include "security/known_hosts.h"

#include <optional>
#include <string>

namespace tether::cli {

// `accept_fingerprint`: the one new key the user agreed to (--accept-key).
// `address` only makes the refusal's advice copy-pasteable.
net::SecureChannel::HostCheck pinned_host_check(security::KnownHosts& known_hosts,
                                                std::optional<std::string> accept_fingerprint, const std::string& address);

}  // namespace tether::cli
