// A lasting personal value (height, weight, a drawn propensity) kept in 16 bits, in fixed point:
// Lo + code * Step for codes 0 to 65,535. Step is a power of 2, so every value is a float exactly
// and reading costs a conversion and a multiply-add. A value assigned is rounded to the nearest
// code and held to [Lo, Lo + 65,535 Step]; where a type is declared, a comment says why its range
// and step suffice.
// It reads as a float, so module code is the same as for a float column, and the result file holds
// float32 values (Coding).
#pragma once

#include <cstdint>

#include "sarcosim/core/column_type.hpp"

namespace sarcosim {

constexpr bool is_power_of_two(double x) {
  if (!(x > 0)) return false;
  while (x < 1)
    x *= 2;
  while (x > 1)
    x /= 2;
  return x == 1;
}

template <double Lo, double Step>
class Fixed16 {
  // Every value a float exactly: Lo a whole number of steps, and at most 2^24 steps from 0.
  static_assert(is_power_of_two(Step) && Lo / Step == static_cast<std::int64_t>(Lo / Step) &&
                (Lo < 0 ? -Lo : Lo) / Step + UINT16_MAX < (1 << 24));

 public:
  static constexpr double kLo = Lo, kStep = Step, kHi = Lo + Step * UINT16_MAX;

  constexpr Fixed16() : Fixed16(0.0) {}
  constexpr Fixed16(double value) : code_(encode(value)) {}  // NOLINT: reads as a number
  // In float, exactly (the static_assert above): cheaper than through double.
  constexpr operator float() const {
    return static_cast<float>(Lo) + static_cast<float>(code_) * static_cast<float>(Step);
  }

 private:
  static constexpr std::uint16_t encode(double value) {
    const double x = (value - Lo) / Step + 0.5;
    if (!(x >= 0)) return 0;  // below the range, or not a number
    if (x >= UINT16_MAX) return UINT16_MAX;
    return static_cast<std::uint16_t>(x);
  }
  static constexpr double value_of(std::uint16_t code) { return Lo + code * Step; }

  std::uint16_t code_;

 public:
  static constexpr Coding kCoding{ColumnType::F32, &value_of};
};

}  // namespace sarcosim
