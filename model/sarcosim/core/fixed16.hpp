// A lasting personal value (height, weight, a drawn propensity) kept in 16 bits, in fixed point:
// Lo + code * 2^-StepBits for codes 0 to 65,535, Lo a whole number (integer template parameters:
// clang 14, which builds the fuzzers, takes no floating-point ones). So every value is a float
// exactly, and reading one costs a conversion and a multiply-add. A value assigned is rounded to
// the nearest code and held to [Lo, Lo + 65,535 steps]; where a type is declared, a comment says
// why its range and step suffice. It reads as a float, so module code is the same as for a float
// column, and the result file holds float32 values (Coding).
#pragma once

#include <cstdint>

#include "sarcosim/core/column_type.hpp"

namespace sarcosim {

template <int Lo, int StepBits>
class Fixed16 {
  static constexpr std::int64_t kStepsPerUnit = std::int64_t{1} << StepBits;
  // Every value a float exactly: at most 2^24 steps from 0.
  static_assert(StepBits >= 0 && StepBits < 32 &&
                (Lo < 0 ? -Lo : Lo) * kStepsPerUnit + UINT16_MAX < (std::int64_t{1} << 24));

 public:
  static constexpr double kLo = Lo, kStep = 1.0 / kStepsPerUnit, kHi = kLo + kStep * UINT16_MAX;

  constexpr Fixed16() : Fixed16(0.0) {}
  constexpr Fixed16(double value) : code_(encode(value)) {}  // NOLINT: reads as a number
  // In float, exactly (the static_assert above): cheaper than through double.
  constexpr operator float() const {
    return static_cast<float>(kLo) + static_cast<float>(code_) * static_cast<float>(kStep);
  }

 private:
  static constexpr std::uint16_t encode(double value) {
    const double x = (value - kLo) / kStep + 0.5;
    if (!(x >= 0)) return 0;  // below the range, or not a number
    if (x >= UINT16_MAX) return UINT16_MAX;
    return static_cast<std::uint16_t>(x);
  }
  static constexpr double value_of(std::uint16_t code) { return kLo + code * kStep; }

  std::uint16_t code_;

 public:
  static constexpr Coding kCoding{ColumnType::F32, &value_of};
};

}  // namespace sarcosim
