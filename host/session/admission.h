// Which new connections a host takes while others still wait to log in
// (docs/security.md). Strangers get a bounded share: a few per source and a
// total, as OpenSSH's MaxStartups bounds unauthenticated connections. When
// the total is reached, a source holding fewer than the busiest one still
// gets in, in place of the busiest one's oldest connection, so one flood (or
// a few) cannot keep everyone else out. Only strangers make room: a login
// from a source that logged in before is never cut short, and such a source
// always gets in in place of a stranger.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tether::session {

struct AdmissionLimits {
    size_t total = 128;
    size_t per_source = 8;
};

struct WaitingLogin {
    uint64_t id = 0;
    std::string source;  // security::source_of(peer)
    bool known = false;  // the source logged in before
};

struct Admission {
    bool admitted = false;
    std::optional<uint64_t> evict;  // the waiting connection that makes room
    std::string refusal;            // why not, when not admitted
};

// `waiting`: the connections not logged in yet, oldest first; `newcomer`: the
// new connection (its id is not used).
Admission admit(const std::vector<WaitingLogin>& waiting, const WaitingLogin& newcomer, const AdmissionLimits& limits);

}  // namespace tether::session
