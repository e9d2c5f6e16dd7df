// The probe's real encode (as Sunshine and RustDesk validate encoders): a
// small picture through a new encoder must come out as a keyframe.
#pragma once

#include <tether/plugin.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tether::hw {

// Above every supported device's minimum size, small enough to cost nothing.
inline constexpr uint32_t test_side = 256;

// test_side x test_side at the encoder's defaults.
tether_encoder_config test_config();

// A grey ramp as I420: something to code, the same on every run.
class TestPicture {
public:
    TestPicture();
    TestPicture(const TestPicture&) = delete;
    TestPicture& operator=(const TestPicture&) = delete;
    const tether_video_frame& frame() const { return frame_; }

private:
    std::vector<uint8_t> pixels_;
    tether_video_frame frame_{};
};

// Encodes the test picture with `encoder.encode(frame, flags, sink)`;
// throws std::runtime_error unless a non-empty keyframe came out.
template <typename Encoder>
void require_test_keyframe(Encoder& encoder) {
    const TestPicture picture;
    bool keyframe = false;
    auto on_packet = [](void* seen, const tether_packet* packet) {
        *static_cast<bool*>(seen) |= (packet->flags & TETHER_PACKET_KEYFRAME) != 0 && packet->buffer->size > 0;
    };
    encoder.encode(picture.frame(), TETHER_ENCODE_FORCE_KEYFRAME, PacketSink{on_packet, &keyframe});
    if (!keyframe) throw std::runtime_error("the test encode of a 256x256 picture gave no keyframe");
}

// A probe: TETHER_OK when an Encoder made from `args` and test_config()
// codes the test picture into a keyframe, otherwise TETHER_UNAVAILABLE with
// what went wrong first (a missing library, device or codec).
template <typename Encoder, typename... Args>
int probe_by_test_encode(std::string& why, Args&&... args) {
    try {
        Encoder encoder(std::forward<Args>(args)..., test_config());
        require_test_keyframe(encoder);
        return TETHER_OK;
    } catch (const std::exception& e) {
        why = e.what();
        return TETHER_UNAVAILABLE;
    }
}

}  // namespace tether::hw
