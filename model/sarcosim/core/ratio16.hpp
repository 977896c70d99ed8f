// A positive multiplier (a hazard ratio, a log-normal personal factor) kept in 16 bits: IEEE half
// precision, 11 significant bits (within 0.05 %), from 2^-14 (6.1e-5) to 65,504. Fixed point
// (core/fixed16.hpp) cannot hold such a range at a useful step: hazard ratios reach thousands at
// their parameters' limits, and a log-normal factor with an SD of 2 or 3 spans ten orders of
// magnitude. A value assigned is rounded to the nearest half (ties to even) and held to that range;
// 0 and values below 6.1e-5 read as 6.1e-5, where they multiply a rate to nothing that matters.
// It reads as a float, exactly, by two integer operations (no F16C instructions needed), and the
// result file holds float32 values (Coding).
#pragma once

#include <bit>
#include <cstdint>

#include "sarcosim/core/column_type.hpp"

namespace sarcosim {

class Ratio16 {
  // A normal half and a float differ in the exponent's bias (15 and 127) and in 13 more bits of
  // significand: a float's bits are the half's shifted by 13, plus (127 - 15) in the exponent.
  static constexpr std::uint32_t kRebias = (127u - 15u) << 23;

 public:
  static constexpr float kMin = 0x1p-14f, kMax = 65504.0f;
  static constexpr int kSignificantBits = 11;  // a value is rounded to these, to the nearest

  constexpr Ratio16() : Ratio16(1.0) {}
  constexpr Ratio16(double value) : code_(encode(value)) {}  // NOLINT: reads as a number
  constexpr operator float() const { return decode(code_); }

 private:
  // From the double, not through a float: rounding twice could miss the nearest half.
  static constexpr std::uint16_t encode(double value) {
    double x = value;
    if (!(x >= kMin)) x = kMin;  // below the range, or not a number
    if (x > kMax) x = kMax;
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x) - (std::uint64_t{1023 - 15} << 52);
    // Round the 42 bits dropped to the nearest, ties to even (a carry moves into the exponent).
    const std::uint64_t rounded = bits + ((std::uint64_t{1} << 41) - 1) + ((bits >> 42) & 1u);
    const std::uint64_t code = rounded >> 42;
    return static_cast<std::uint16_t>(code > 0x7BFFu ? 0x7BFFu : code);  // 65,504 at most
  }
  static constexpr float decode(std::uint16_t code) {
    return std::bit_cast<float>((std::uint32_t{code} << 13) + kRebias);
  }
  static constexpr double value_of(std::uint16_t code) { return decode(code); }

  std::uint16_t code_;

 public:
  static constexpr Coding kCoding{ColumnType::F32, &value_of};
};

}  // namespace sarcosim
