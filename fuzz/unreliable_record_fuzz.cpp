// Unreliable records (host/net/unreliable_record.h): arbitrary datagrams and
// tampered copies fed to the opener between real records that are lost,
// reordered and replayed (fuzz/unreliable_steps.h). Checked against a model
// of the window on whole counters: nothing but a real record is delivered,
// each at most once and as sealed; every refusal is counted once; and every
// real record not yet delivered that the window still holds is delivered,
// whatever came before it. At the end each real record is offered once more.
#include "net/unreliable_record.h"
#include "record_input.h"
#include "unreliable_steps.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <vector>

using namespace tether;
using fuzz::Step;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "%s\n", what);
    std::abort();
}

constexpr uint64_t kCarriedSpan = uint64_t{1} << (8 * net::kUnreliableRecordHeader);

struct Sealed {
    uint64_t counter;
    std::vector<uint8_t> bytes;
};

uint64_t big_endian(std::span<const uint8_t> bytes, size_t most) {
    uint64_t value = 0;
    for (const uint8_t byte : bytes.first(std::min(bytes.size(), most))) value = value << 8 | byte;
    return value;
}

std::vector<uint8_t> bytes_of(const BufferRef& buffer) { return {buffer.bytes().begin(), buffer.bytes().end()}; }

// The opener's state on whole counters. A record is what the key seals at a
// counter: the fuzzer may also send real records it saw sealed in other runs
// (the key is fixed), so it is told apart by sealing again, not by where it came from.
class Model {
public:
    explicit Model(net::Cipher cipher)
        : opener_(cipher, fuzz::kRecordKey), key_(cipher, net::unreliable_record_key(fuzz::kRecordKey)) {}

    void seal(std::span<const uint8_t> plaintext) {
        sealed_.push_back({counter_, bytes_of(net::seal_record(key_, counter_, net::kUnreliableRecordHeader, plaintext))});
        ++counter_;
        by_bytes_.emplace(sealed_.back().bytes, sealed_.size() - 1);
    }
    void skip(uint64_t lost) { counter_ += lost; }
    const Sealed* pick(std::span<const uint8_t> argument) const {
        return sealed_.empty() ? nullptr : &sealed_[big_endian(argument, 2) % sealed_.size()];
    }
    const std::vector<Sealed>& sealed() const { return sealed_; }

    void feed(const std::vector<uint8_t>& datagram) {
        const net::UnreliableDrops before = opener_.drops();
        const std::optional<std::vector<uint8_t>> opened = opener_.open(datagram);
        const net::UnreliableDrops& after = opener_.drops();
        if (after.total() != before.total() + (opened ? 0 : 1))
            fail("a record was not counted exactly once as delivered or dropped");
        if (datagram.size() < net::kUnreliableRecordOverhead && after.truncated == before.truncated)
            fail("a short datagram was not counted as truncated");
        if (opened) return delivered(datagram, *opened);
        const auto known = by_bytes_.find(datagram);
        if (known != by_bytes_.end()) refused(sealed_[known->second].counter, before, after);
    }

private:
    // Where the opener puts a counter's low bits: within 2^31 of the one after the highest accepted.
    uint64_t placed(uint64_t low) const {
        const uint64_t lowest = next_ >= kCarriedSpan / 2 ? next_ - kCarriedSpan / 2 : 0;
        return lowest + ((low - lowest) & (kCarriedSpan - 1));
    }
    bool in_window(uint64_t counter) const { return counter + net::kReplayWindow >= next_; }

    void delivered(const std::vector<uint8_t>& datagram, const std::vector<uint8_t>& plaintext) {
        const uint64_t counter = placed(big_endian(datagram, net::kUnreliableRecordHeader));
        if (bytes_of(net::seal_record(key_, counter, net::kUnreliableRecordHeader, plaintext)) != datagram)
            fail("delivered a datagram that is not the record sealed at the counter it was placed at");
        if (!in_window(counter)) fail("delivered a record below the window");
        if (!delivered_.insert(counter).second) fail("delivered a record twice");
        next_ = std::max(next_, counter + 1);
    }

    void refused(uint64_t counter, const net::UnreliableDrops& before, const net::UnreliableDrops& after) const {
        if (placed(counter) != counter) return;  // placed at another counter, it cannot authenticate
        if (!in_window(counter)) {
            if (after.too_old != before.too_old + 1) fail("a record below the window was not counted too old");
        } else if (!delivered_.contains(counter)) {
            fail("a real record in the window, never delivered, was dropped");
        } else if (after.replayed != before.replayed + 1) {
            fail("a record delivered before was not counted as replayed");
        }
    }

    net::UnreliableOpener opener_;
    net::DirectionKey key_;
    uint64_t counter_ = 0;  // the next to seal
    uint64_t next_ = 0;     // one past the highest delivered
    std::set<uint64_t> delivered_;
    std::vector<Sealed> sealed_;
    std::map<std::vector<uint8_t>, size_t> by_bytes_;
};

std::vector<uint8_t> tampered(const Sealed& record, std::span<const uint8_t> argument) {
    std::vector<uint8_t> bytes = record.bytes;
    const size_t offset = argument.size() > 2 ? argument[2] % bytes.size() : 0;
    if (argument.size() <= 3) {
        bytes.resize(offset);
        return bytes;
    }
    for (size_t i = 3; i < argument.size(); ++i) bytes[(offset + i - 3) % bytes.size()] ^= argument[i];
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::RecordInput input = fuzz::split_record_input({data, size});
    Model model(input.cipher);
    for (const auto step : input.records) {
        if (step.empty()) continue;
        const auto argument = step.subspan(1);
        switch (static_cast<Step>(step[0] % fuzz::kStepKinds)) {
        case Step::Seal: model.seal(argument); break;
        case Step::Skip: model.skip(big_endian(argument, 5)); break;
        case Step::Deliver:
            if (const Sealed* record = model.pick(argument)) model.feed(record->bytes);
            break;
        case Step::Tamper:
            if (const Sealed* record = model.pick(argument)) model.feed(tampered(*record, argument));
            break;
        case Step::Datagram: model.feed({argument.begin(), argument.end()}); break;
        }
    }
    for (const Sealed& record : model.sealed()) model.feed(record.bytes);
    return 0;
}
