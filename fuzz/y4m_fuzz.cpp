// .y4m files given to the file capture plugin: the header, then every frame,
// then the first frame again after rewind(), which must read the same bytes.
#include "memory_file.h"
#include "y4m_reader.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

using namespace tether;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::MemoryFile file("y4m");
    file.write({data, size});
    try {
        y4m::Reader reader(file.path());
        // A frame larger than the whole input cannot be complete; sparing the
        // allocation (up to 400 MB at the largest size) keeps runs fast.
        if (reader.frame_bytes() > size) return 0;
        std::vector<uint8_t> frame(reader.frame_bytes());
        std::vector<uint8_t> first;
        while (reader.next(frame))
            if (first.empty()) first = frame;
        if (first.empty()) return 0;
        reader.rewind();
        if (!reader.next(frame) || frame != first) {
            std::fprintf(stderr, "the first frame reads differently after rewind()\n");
            std::abort();
        }
    } catch (const std::runtime_error&) {
    }
    return 0;
}
