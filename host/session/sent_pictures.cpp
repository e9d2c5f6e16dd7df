#include "sent_pictures.h"

namespace tether::session {

void SentPictures::sent(uint64_t sequence, BufferRef message) {
    std::lock_guard lock(mutex_);
    bytes_ += message.size();
    kept_.push_back(Kept{sequence, std::move(message)});
    while (kept_.size() > kMostKept || (bytes_ > kMostKeptBytes && kept_.size() > 1)) {
        bytes_ -= kept_.front().message.size();
        kept_.pop_front();
    }
}

std::vector<BufferRef> SentPictures::take_again(uint64_t after, uint64_t through) {
    std::vector<BufferRef> again;
    std::lock_guard lock(mutex_);
    for (Kept& kept : kept_) {
        if (kept.sequence <= after || kept.sequence > through || kept.sent_again) continue;
        kept.sent_again = true;
        again.push_back(kept.message);
    }
    return again;
}

}  // namespace tether::session
