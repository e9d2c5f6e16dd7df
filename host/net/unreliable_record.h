// Records for a path that may lose or reorder them (datagrams): each carries
// its counter's low 32 bits, under a key of its own, and the receiver keeps a
// window of the last 1,024 counters to refuse replays. A record that is
// refused is dropped and counted, never fatal: anyone who can send to the
// path could otherwise end the channel with one datagram (docs/protocol.md,
// "Unreliable records").
#pragma once

#include "record.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tether::net {

constexpr size_t kUnreliableRecordHeader = 4;
constexpr size_t kUnreliableRecordOverhead = kUnreliableRecordHeader + kRecordTag;
constexpr uint64_t kReplayWindow = 1024;

// The key of unreliable records in the direction whose record key is
// `record_key`: a nonce space apart from that direction's reliable records.
Key unreliable_record_key(const Key& record_key);

// Which of the kReplayWindow counters below next() were accepted: a bitmap
// indexed by counter, as IPsec and DTLS keep it.
class ReplayWindow {
public:
    enum class Verdict { Fresh, TooOld, Seen };
    Verdict check(uint64_t counter) const;
    void accept(uint64_t counter);                // once the record authenticated
    uint64_t next() const { return next_; }       // one past the highest accepted

private:
    bool seen(uint64_t counter) const;
    void set_seen(uint64_t counter, bool seen);

    std::array<uint64_t, kReplayWindow / 64> seen_{};
    uint64_t next_ = 0;
};

// Both take the direction's record key (as RecordSealer does) and derive
// their own from it, so no record of theirs shares a nonce with a reliable one.
// One sealer per direction per channel: a second would start at counter 0 again.
class UnreliableSealer {
public:
    UnreliableSealer(Cipher cipher, const Key& record_key);
    BufferRef seal(std::span<const uint8_t> plaintext);  // not thread-safe: one sender at a time

private:
    DirectionKey key_;
    uint64_t counter_ = 0;
};

// How many records an UnreliableOpener dropped, by reason.
struct UnreliableDrops {
    uint64_t truncated = 0;              // shorter than a header and tag
    uint64_t too_old = 0;                // below the replay window
    uint64_t replayed = 0;               // accepted before
    uint64_t failed_authentication = 0;  // forged, or placed at the wrong counter
    uint64_t total() const { return truncated + too_old + replayed + failed_authentication; }
};

class UnreliableOpener {
public:
    UnreliableOpener(Cipher cipher, const Key& record_key);
    // The plaintext, or nullopt when the record is dropped (counted in drops()).
    // Not thread-safe; read drops() under the same lock.
    std::optional<std::vector<uint8_t>> open(std::span<const uint8_t> record);
    const UnreliableDrops& drops() const { return drops_; }

private:
    DirectionKey key_;
    ReplayWindow window_;
    UnreliableDrops drops_;
};

}  // namespace tether::net
