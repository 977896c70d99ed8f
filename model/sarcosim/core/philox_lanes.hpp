// Philox4x32-10 (Random123) for 16 counters at once: the same four words as r123::Philox4x32 gives
// for each counter (tests/core/test_philox_lanes.cpp), so draws made this way are the draws
// Rng::uniform4 makes one at a time. With AVX-512 the 16 counters go through the ten rounds side
// by side in vector registers (each round's 32 x 32 -> 64-bit products eight at a time), about a
// sixth of the instructions of 16 calls; with AVX2, two halves of 8; elsewhere the 16 calls. Used
// where many draws are made at once (initial states).
#pragma once

#include <cstdint>

namespace sarcosim {

inline constexpr int kPhiloxLanes = 16;

// Counters in (word k of lane j), random words out, in place.
struct PhiloxLanes {
  alignas(64) std::uint32_t word[4][kPhiloxLanes];
};

// On the widest path this machine has.
void philox_lanes(PhiloxLanes& lanes, std::uint32_t key0, std::uint32_t key1);

// Each path on its own, so that tests check every one the machine can run; a path the machine
// lacks throws std::invalid_argument.
enum class PhiloxPath { avx512, avx2, one_by_one };
bool philox_path_available(PhiloxPath path);
void philox_lanes_by(PhiloxPath path, PhiloxLanes& lanes, std::uint32_t key0, std::uint32_t key1);

}  // namespace sarcosim
