#include "admission.h"

#include <map>

namespace tether::session {

Admission admit(const std::vector<WaitingLogin>& waiting, const WaitingLogin& newcomer, const AdmissionLimits& limits) {
    std::map<std::string, size_t> per_source;
    std::map<std::string, size_t> strangers_per_source;
    for (const WaitingLogin& w : waiting) {
        ++per_source[w.source];
        if (!w.known) ++strangers_per_source[w.source];
    }
    const size_t mine = per_source[newcomer.source];
    if (mine >= limits.per_source)
        return {false, std::nullopt,
                "too many connections from " + newcomer.source + " waiting to log in (" + std::to_string(mine) + ")"};
    if (waiting.size() < limits.total) return {true, std::nullopt, {}};

    // The stranger source holding most places; among equals, the one whose connection waits longest.
    const std::string* busiest = nullptr;
    size_t most = 0;
    for (const WaitingLogin& w : waiting) {
        if (w.known) continue;
        const size_t count = strangers_per_source[w.source];
        if (count > most) {
            most = count;
            busiest = &w.source;
        }
    }
    // A known source takes any stranger's place; a stranger only that of a busier one.
    const bool may_take = busiest != nullptr && (newcomer.known || most > strangers_per_source[newcomer.source]);
    if (!may_take)
        return {false, std::nullopt, "too many connections waiting to log in (" + std::to_string(waiting.size()) + ")"};
    for (const WaitingLogin& w : waiting)
        if (!w.known && w.source == *busiest) return {true, w.id, {}};
    return {false, std::nullopt, "too many connections waiting to log in"};
}

}  // namespace tether::session
