// The TCP transport's framing: a byte stream from the peer, arriving in reads
// of any size. Checked against a plain reading of the same stream: every
// complete message is delivered, each exactly the bytes its header announced,
// and the stream is refused only at a header over the limit, which the
// input chooses (a connection before login accepts only small messages).
#include "frame_reader.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

using namespace tether::tcp;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "%s\n", what);
    std::abort();
}

// The length announced by the header at `at`, when all of that header is there.
std::optional<uint32_t> header_at(const std::vector<uint8_t>& stream, size_t at) {
    if (stream.size() - at < kHeaderSize) return std::nullopt;
    return decode_length(stream.data() + at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // The stream comes from the front of the input, the read sizes from its back.
    FuzzedDataProvider input(data, size);
    const bool small_limit = input.ConsumeBool();
    const uint32_t limit = small_limit ? input.ConsumeIntegralInRange<uint32_t>(0, 1 << 16) : kMaxMessageSize;
    FrameReader reader;
    std::vector<uint8_t> stream;  // everything read so far
    size_t parsed = 0;            // where in `stream` the next message starts
    const auto deliver = [&](const uint8_t* message, size_t length) {
        if (length > limit) fail("delivered a message over the limit");
        if (header_at(stream, parsed) != length) fail("delivered a length its header does not give");
        if (stream.size() - parsed - kHeaderSize < length) fail("delivered more than was read");
        if (std::memcmp(message, stream.data() + parsed + kHeaderSize, length) != 0)
            fail("delivered bytes that differ from the stream");
        parsed += kHeaderSize + length;
        return true;
    };
    while (input.remaining_bytes() > 0) {
        const std::span<uint8_t> space = reader.free_space();
        if (space.empty()) fail("free_space() is empty");
        const size_t wanted = input.ConsumeIntegralInRange<size_t>(1, 4096);
        const std::vector<uint8_t> bytes = input.ConsumeBytes<uint8_t>(std::min(wanted, space.size()));
        if (bytes.empty()) break;
        std::memcpy(space.data(), bytes.data(), bytes.size());
        stream.insert(stream.end(), bytes.begin(), bytes.end());
        if (reader.consume(bytes.size(), [&] { return limit; }, deliver)) {
            if (header_at(stream, parsed).value_or(0) <= limit) fail("refused a stream within the limits");
            return 0;  // the connection ends here
        }
    }
    if (const auto next = header_at(stream, parsed); next && stream.size() - parsed - kHeaderSize >= *next)
        fail("a complete message was not delivered");
    if (reader.mid_message() != (parsed < stream.size())) fail("mid_message() disagrees with what was delivered");
    return 0;
}
