// Someone at the host saying yes to a viewer that gave the right password
// (`tether host --confirm`). Asking never blocks a session or the host: the
// answer comes back later, and always comes, at the latest when the
// question's time runs out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace tether::session {

struct ConfirmQuestion {
    std::string source;
    uint32_t permissions = 0;
};

struct ConfirmAnswer {
    bool allowed = false;
    std::string reason;  // why not: "declined at the host", "not confirmed within 30 s", ...
};

class Confirmer {
public:
    using AnswerFn = std::function<void(const ConfirmAnswer&)>;
    virtual ~Confirmer() = default;
    // [thread-safe] `answer` runs exactly once, on the confirmer's thread or
    // inline. `still_waiting` lets it skip a viewer that has left meanwhile.
    virtual void ask(ConfirmQuestion question, std::function<bool()> still_waiting, AnswerFn answer) = 0;
};

}  // namespace tether::session
