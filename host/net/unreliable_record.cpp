#include "unreliable_record.h"

#include <sodium.h>

#include <string_view>

namespace tether::net {

Key unreliable_record_key(const Key& record_key) {
    constexpr std::string_view kLabel = "unreliable records";
    Key key{};
    crypto_generichash(key.data(), key.size(), reinterpret_cast<const uint8_t*>(kLabel.data()), kLabel.size(),
                       record_key.data(), record_key.size());
    return key;
}

ReplayWindow::Verdict ReplayWindow::check(uint64_t counter) const {
    if (counter >= next_) return Verdict::Fresh;
    if (next_ - counter > kReplayWindow) return Verdict::TooOld;
    return seen(counter) ? Verdict::Seen : Verdict::Fresh;
}

void ReplayWindow::accept(uint64_t counter) {
    // The bits of the counters the window moves over held ones that fall out of it.
    for (uint64_t skipped = next_; skipped < counter && skipped - next_ < kReplayWindow; ++skipped)
        set_seen(skipped, false);
    set_seen(counter, true);
    if (counter >= next_) next_ = counter + 1;
}

bool ReplayWindow::seen(uint64_t counter) const {
    return (seen_[counter / 64 % seen_.size()] >> (counter % 64) & 1) != 0;
}

void ReplayWindow::set_seen(uint64_t counter, bool seen) {
    uint64_t& word = seen_[counter / 64 % seen_.size()];
    const uint64_t bit = uint64_t{1} << (counter % 64);
    word = seen ? word | bit : word & ~bit;
}

UnreliableSealer::UnreliableSealer(Cipher cipher, const Key& record_key)
    : key_(cipher, unreliable_record_key(record_key)) {}

BufferRef UnreliableSealer::seal(std::span<const uint8_t> plaintext) {
    return seal_record(key_, counter_++, kUnreliableRecordHeader, plaintext);
}

UnreliableOpener::UnreliableOpener(Cipher cipher, const Key& record_key)
    : key_(cipher, unreliable_record_key(record_key)) {}

std::optional<std::vector<uint8_t>> UnreliableOpener::open(std::span<const uint8_t> record) {
    if (record.size() < kUnreliableRecordOverhead) {
        ++drops_.truncated;
        return std::nullopt;
    }
    const uint64_t counter = record_counter(record.first(kUnreliableRecordHeader), window_.next());
    // The header alone tells these, so a flood of old records costs no decryption.
    switch (window_.check(counter)) {
    case ReplayWindow::Verdict::TooOld: ++drops_.too_old; return std::nullopt;
    case ReplayWindow::Verdict::Seen: ++drops_.replayed; return std::nullopt;
    case ReplayWindow::Verdict::Fresh: break;
    }
    std::optional<std::vector<uint8_t>> plaintext = open_record(key_, counter, kUnreliableRecordHeader, record);
    if (!plaintext) {
        ++drops_.failed_authentication;
        return std::nullopt;
    }
    window_.accept(counter);
    return plaintext;
}

}  // namespace tether::net
