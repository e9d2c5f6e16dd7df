// The encrypted record layer: a sequence of records from the peer opened in
// order (fuzz/record_input.h), and each record's bytes sealed and opened
// again as plaintext, which must always succeed.
#include "record_input.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace tether;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::RecordInput input = fuzz::split_record_input({data, size});
    net::RecordOpener from_peer(input.cipher, fuzz::kRecordKey);
    net::RecordSealer sealer(input.cipher, fuzz::kRecordKey);
    net::RecordOpener own(input.cipher, fuzz::kRecordKey);
    for (const auto record : input.records) {
        try {
            from_peer.open(record);
        } catch (const net::RecordError&) {
        }
        const BufferRef sealed = sealer.seal(record);
        try {
            const std::vector<uint8_t> opened = own.open(sealed.bytes());
            if (!std::equal(opened.begin(), opened.end(), record.begin(), record.end())) {
                std::fprintf(stderr, "a sealed record opened to different bytes\n");
                std::abort();
            }
        } catch (const net::RecordError& error) {
            std::fprintf(stderr, "a record just sealed failed to open: %s\n", error.what());
            std::abort();
        }
    }
    return 0;
}
