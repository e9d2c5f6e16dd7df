// How the unreliable record fuzzer reads its input, and how seeds for it are
// written: record_input.h's cipher choice and length-prefixed parts, each part
// one step, its first byte (modulo kStepKinds) the kind and the rest the
// argument.
#pragma once

#include <cstdint>

namespace tether::fuzz {

enum class Step : uint8_t {
    Seal,      // a real record of the argument at the next counter
    Skip,      // counters lost: the argument, big-endian, up to 5 bytes
    Deliver,   // real record number (2 bytes, big-endian, modulo how many) as sealed
    Tamper,    // the same, then from offset (1 byte) XOR the rest; with no rest, cut there
    Datagram,  // the argument as it is
};
constexpr uint8_t kStepKinds = 5;

}  // namespace tether::fuzz
