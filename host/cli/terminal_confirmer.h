// `tether host --confirm`: asks on the host's terminal before each login,
// one question at a time on a thread of its own, each with a time limit, so
// an unanswered question holds up neither other sessions nor shutdown.
#pragma once

#include "session/confirmer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tether::cli {

class TerminalConfirmer : public session::Confirmer {
public:
    // Each question and its outcome also go to `announce` as an event.
    using AnnounceFn = std::function<void(const nlohmann::json& event, const std::string& human)>;
    // Questions are read from `input_fd` (stdin); a closed one means nobody is there to say yes.
    TerminalConfirmer(std::chrono::seconds timeout, AnnounceFn announce, int input_fd = 0);
    // Refuses every question still waiting ("host shutting down") and joins.
    ~TerminalConfirmer() override;
    TerminalConfirmer(const TerminalConfirmer&) = delete;
    TerminalConfirmer& operator=(const TerminalConfirmer&) = delete;

    void ask(session::ConfirmQuestion question, std::function<bool()> still_waiting, AnswerFn answer) override;

private:
    struct Question {
        session::ConfirmQuestion question;
        std::function<bool()> still_waiting;
        AnswerFn answer;
    };
    enum class Reply { Yes, No, Timeout, Left, Closed, Stopping };

    void run();
    Reply ask_one(const Question& q);
    void settle(const Question& q, bool allowed, const std::string& reason);
    void discard_typed_ahead();  // a "y" typed before the question must not answer it

    const std::chrono::seconds timeout_;
    const AnnounceFn announce_;
    const int input_fd_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Question> waiting_;
    bool stopping_ = false;
    bool input_closed_ = false;  // the confirmer thread's
    std::string line_;           // the confirmer thread's: typed so far
    std::thread thread_;         // last: starts once the rest exists
};

}  // namespace tether::cli
