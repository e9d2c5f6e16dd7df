#include "terminal_confirmer.h"

#include "core/message_text.h"
#include "session/permissions.h"

#include <poll.h>
#include <unistd.h>

#include <iostream>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// More questions than this waiting means something is wrong; the rest are refused at once.
constexpr size_t kMaxWaiting = 8;
// How often a pending question checks for shutdown and for a viewer that left.
constexpr auto kPollSlice = 100ms;

bool is_yes(const std::string& answer) { return answer == "y" || answer == "Y" || answer == "yes"; }

}  // namespace

TerminalConfirmer::TerminalConfirmer(std::chrono::seconds timeout, AnnounceFn announce, int input_fd)
    : timeout_(timeout), announce_(std::move(announce)), input_fd_(input_fd), thread_([this] { run(); }) {}

TerminalConfirmer::~TerminalConfirmer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
    for (const Question& q : waiting_) q.answer({false, "host shutting down"});
}

void TerminalConfirmer::ask(session::ConfirmQuestion question, std::function<bool()> still_waiting, AnswerFn answer) {
    std::unique_lock lock(mutex_);
    if (stopping_ || waiting_.size() >= kMaxWaiting) {
        lock.unlock();
        return answer({false, stopping_ ? "host shutting down" : "the host is already asking about other viewers"});
    }
    waiting_.push_back({std::move(question), std::move(still_waiting), std::move(answer)});
    lock.unlock();
    changed_.notify_one();
}

void TerminalConfirmer::run() {
    for (;;) {
        Question q;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
            if (stopping_) return;
            q = std::move(waiting_.front());
            waiting_.pop_front();
        }
        switch (ask_one(q)) {
        case Reply::Yes: settle(q, true, {}); break;
        case Reply::No: settle(q, false, "declined at the host"); break;
        case Reply::Timeout: settle(q, false, "not confirmed within " + duration_text(timeout_)); break;
        case Reply::Left: settle(q, false, "the viewer left"); break;
        case Reply::Closed: settle(q, false, "nobody at the host to confirm (its input is closed)"); break;
        case Reply::Stopping: settle(q, false, "host shutting down"); return;
        }
    }
}

void TerminalConfirmer::settle(const Question& q, bool allowed, const std::string& reason) {
    const std::string who = q.question.source;
    announce_({{"event", "confirm_answer"}, {"peer", who}, {"allowed", allowed}, {"reason", reason}},
              allowed ? "Allowed " + who : "Refused " + who + ": " + reason);
    q.answer({allowed, reason});
}

void TerminalConfirmer::discard_typed_ahead() {
    line_.clear();
    char chunk[256];
    pollfd pfd{input_fd_, POLLIN, 0};
    while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN)) {
        const ssize_t n = read(input_fd_, chunk, sizeof chunk);
        if (n <= 0) {
            input_closed_ = true;
            return;
        }
    }
}

TerminalConfirmer::Reply TerminalConfirmer::ask_one(const Question& q) {
    if (!q.still_waiting()) return Reply::Left;
    discard_typed_ahead();
    if (input_closed_) return Reply::Closed;
    const std::string permissions = session::format_permissions(q.question.permissions);
    announce_({{"event", "confirm"}, {"peer", q.question.source}, {"permissions", permissions},
               {"timeout_s", timeout_.count()}},
              {});
    std::cerr << "Allow " << q.question.source << " to connect with " << permissions << "? [y/N] ("
              << timeout_.count() << " s) " << std::flush;
    const auto deadline = Clock::now() + timeout_;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return Reply::Stopping;
        }
        if (!q.still_waiting()) return Reply::Left;
        const auto left = deadline - Clock::now();
        if (left <= 0s) return Reply::Timeout;
        pollfd pfd{input_fd_, POLLIN, 0};
        const auto slice = std::min<Clock::duration>(left, kPollSlice);
        if (poll(&pfd, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count())) <= 0) continue;
        char c = 0;
        if (read(input_fd_, &c, 1) != 1) {
            input_closed_ = true;
            return Reply::Closed;
        }
        if (c != '\n') {
            if (line_.size() < 64) line_ += c;
            continue;
        }
        const bool yes = is_yes(line_);
        line_.clear();
        return yes ? Reply::Yes : Reply::No;
    }
}

}  // namespace tether::cli
