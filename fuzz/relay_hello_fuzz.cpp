// The first bytes a relay reads from anyone who connects over TCP: a frame
// header and the body it announces, read and judged by the relay's own
// MessageDecoder and judge_hello. Every verdict is a hello that checks out
// again or a refusal from the known set, and the header alone agrees with
// the verdict.
#include "decoder_feed.h"
#include "fixed_identity.h"
#include "rendezvous/signatures.h"
#include "server/relay_hello_check.h"

#include <cstdlib>
#include <set>
#include <string>

using namespace tether;

namespace {

// Between the seeds' expired token and their good ones (fuzz/seed_corpus.cpp).
constexpr int64_t kNow = 1'900'000'000;

const std::set<std::string> kReasons = {
    "truncated hello", "malformed hello", "oversized hello", "not a relay hello", "malformed token",
    "forged token",    "expired token",   "token presented by a third party",
};

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const security::Identity rendezvous = fuzz::fixed_identity(1);
    std::span<const uint8_t> input(data, size);
    server::MessageDecoder decoder(server::Framing::LengthPrefixed, rendezvous::kMaxMessage);
    const auto read = fuzz::feed_decoder(decoder, input);
    const auto verdict = server::judge_hello(read, decoder.body(), rendezvous.public_key, kNow);
    if (const auto* refusal = std::get_if<server::RelayRefusal>(&verdict)) {
        check(kReasons.contains(refusal->reason));
        // Only a hello that spoke the protocol hears why it is refused.
        check(refusal->answered == (refusal->reason.find("token") != std::string::npos));
    } else {
        const auto& hello = std::get<proto::RelayHello>(verdict);
        check(!rendezvous::check_relay_hello(rendezvous.public_key, hello, kNow));
    }
    if (size >= rendezvous::kFrameHeader) {
        const uint32_t announced = rendezvous::frame_length(std::span<const uint8_t, rendezvous::kFrameHeader>(data, rendezvous::kFrameHeader));
        if (announced == 0 || announced > rendezvous::kMaxMessage)
            check(std::holds_alternative<server::RelayRefusal>(verdict));
        else if (announced > size - rendezvous::kFrameHeader)
            check(std::get<server::RelayRefusal>(verdict).reason == "truncated hello");
    }
    return 0;
}
