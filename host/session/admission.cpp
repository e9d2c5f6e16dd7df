#include "admission.h"

#include <map>

namespace tether::session {

Admission admit(const std::vector<WaitingLogin>& waiting, const std::string& source, const AdmissionLimits& limits) {
    std::map<std::string, size_t> per_source;
    for (const WaitingLogin& w : waiting) ++per_source[w.source];
    const size_t mine = per_source[source];
    if (mine >= limits.per_source)
        return {false, std::nullopt,
                "too many connections from " + source + " waiting to log in (" + std::to_string(mine) + ")"};
    if (waiting.size() < limits.total) return {true, std::nullopt, {}};

    // The busiest source; among equals, the one whose connection waits longest.
    const std::string* busiest = nullptr;
    size_t most = 0;
    for (const WaitingLogin& w : waiting) {
        const size_t count = per_source[w.source];
        if (count > most) {
            most = count;
            busiest = &w.source;
        }
    }
    if (busiest == nullptr || most <= mine)
        return {false, std::nullopt, "too many connections waiting to log in (" + std::to_string(waiting.size()) + ")"};
    for (const WaitingLogin& w : waiting)
        if (w.source == *busiest) return {true, w.id, {}};
    return {false, std::nullopt, "too many connections waiting to log in"};
}

}  // namespace tether::session
