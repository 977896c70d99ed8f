#include "sarcosim/core/math_lanes.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

#include "sarcosim/core/vector_clones.hpp"

namespace sarcosim {

namespace {

constexpr double kLog2e = 1.4426950408889634;
// ln 2 in two parts (fdlibm's): the first has 32 significant bits, so k x kLn2High is exact for
// |k| < 2^21; the second is the rest to double precision.
constexpr double kLn2High = 0x1.62e42feep-1;
constexpr double kLn2Low = 0x1.a39ef35793c76p-33;
// Adding it rounds to a whole number and leaves that number in the low bits of the double.
constexpr double kShifter = 0x1.8p52;

}  // namespace

// exp(x) = 2^k exp(r), k = round(x / ln 2), |r| <= ln 2 / 2: exp(r) by its Taylor series to r^13
// (the first term left out is below 2^-58 of the sum), 2^k put straight into the exponent bits.
SARCOSIM_VECTOR_CLONES
void exp_lanes(const double (&x)[kMathLanes], double (&y)[kMathLanes]) {
  for (int j = 0; j < kMathLanes; ++j) {
    const double v = std::min(std::max(x[j], -708.0), 709.0);
    const double t = v * kLog2e + kShifter;
    const double k = t - kShifter;
    const double r = (v - k * kLn2High) - k * kLn2Low;
    double p = 1.0 / 6227020800.0;  // 1/13!
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // k + 1023 is in 1 .. 2046 for v in the range above: the low bits of t's significand.
    const std::uint64_t scale = (std::bit_cast<std::uint64_t>(t) + 1023u) << 52;
    y[j] = p * std::bit_cast<double>(scale);
  }
}

// log(x) = k ln 2 + log(m), x = 2^k m with m in [sqrt(1/2), sqrt(2)): log(m) = 2 atanh(s),
// s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^21 (the first term left out is below
// 2^-60 of the sum).
SARCOSIM_VECTOR_CLONES
void log_lanes(const double (&x)[kMathLanes], double (&y)[kMathLanes]) {
  constexpr std::uint64_t kSqrtHalf = 0x3FE6A09E667F3BCDu;   // the bits of sqrt(1/2)
  constexpr std::uint64_t kTwo52Bits = 0x4330000000000000u;  // the bits of 2^52
  for (int j = 0; j < kMathLanes; ++j) {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x[j]);
    // The exponent k that brings x into [sqrt(1/2), sqrt(2)), floor(log2(x / sqrt(1/2))), in -1022
    // .. 1023: the top 12 bits of the difference hold it modulo 4096. Unsigned and through the
    // double's bits, as 64-bit vector lanes without AVX-512 have no arithmetic shift or conversion.
    const std::uint64_t k12 = (bits - kSqrtHalf) >> 52;
    const double m = std::bit_cast<double>(bits - (k12 << 52));
    // k + 2048 (flipping the sign bit of the 12), then k, as a double.
    const double kd = std::bit_cast<double>(kTwo52Bits | (k12 ^ 0x800u)) - (0x1p52 + 2048.0);
    const double f = m - 1.0;  // exact (Sterbenz)
    const double s = f / (2.0 + f);
    const double z = s * s;
    double p = 2.0 / 21;
    p = p * z + 2.0 / 19;
    p = p * z + 2.0 / 17;
    p = p * z + 2.0 / 15;
    p = p * z + 2.0 / 13;
    p = p * z + 2.0 / 11;
    p = p * z + 2.0 / 9;
    p = p * z + 2.0 / 7;
    p = p * z + 2.0 / 5;
    p = p * z + 2.0 / 3;
    y[j] = kd * kLn2High + (kd * kLn2Low + (2.0 * s + s * (p * z)));
  }
}

}  // namespace sarcosim
