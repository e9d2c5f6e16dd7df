// The smallest useful plugin: a capture source of one solid colour. Copy it
// and replace the class with your capturer, encoder, decoder or transport.
#include <tether/i420.hpp>
#include <tether/plugin.hpp>

#include <cstring>
#include <stdexcept>

namespace {

class SolidCapture {
public:
    static int probe(const tether_host_api*, std::string&) { return TETHER_OK; }

    SolidCapture(const tether_host_api* host, const tether_capture_config& config)
        : host_(host), width_(config.width ? config.width : 640), height_(config.height ? config.height : 480) {
        if (width_ % 2 || height_ % 2) throw std::invalid_argument("width and height must be even");
    }

    int grab(tether_video_frame& frame) {
        const tether::i420::Layout layout = tether::i420::layout(width_, height_);
        return tether::i420::capture_into(host_, layout, frame, next_++, [&](tether_video_frame& f) {
            std::memset(f.buffer->data, 128, layout.total_bytes());  // mid grey, no colour
            return true;
        });
    }

private:
    const tether_host_api* host_;
    uint32_t width_;
    uint32_t height_;
    uint64_t next_ = 0;
};

constexpr tether_capture_vtable kVtable = tether::capture_vtable<SolidCapture>(TETHER_PIXEL_BIT(TETHER_PIXEL_I420));
constexpr tether_factory kFactory = tether::factory(TETHER_KIND_CAPTURE, "solid", "A solid grey picture", 0, &kVtable);

}  // namespace

TETHER_PLUGIN("capture-solid", "1.0.0", "Template plugin: a solid grey capture source", &kFactory)
