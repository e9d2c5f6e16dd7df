// The names a host key is pinned under in known_hosts: the host's peer ID, and what the
// user typed to reach it (an address now, an ID once connecting by ID exists). Pinning
// the typed name too is what catches an impostor: a new key always brings a new peer ID,
// so the ID alone would make every impostor look like a first connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::security {

// The name for what the user typed: the host part (before the last ':', up to an IPv6
// zone) lowercased and a leading "tcp://" dropped, since neither changes which host is
// reached. Nothing else is rewritten: spellings that might reach different hosts keep
// different pins. Throws std::invalid_argument with pin_name_problem's reason when the
// result cannot be a name.
std::string pin_name_of(std::string_view typed);

// Why `name` cannot be a pin name, or nullopt when it can: a 9-digit peer ID, or an address
// as pin_name_of writes it, at most 255 characters of printable ASCII without spaces.
// All digits always means a peer ID, so a mistyped ID is never taken for an address.
std::optional<std::string> pin_name_problem(std::string_view name);

}  // namespace tether::security
