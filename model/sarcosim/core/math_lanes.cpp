#include "sarcosim/core/math_lanes.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
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

// c[0] x^(N-1) + ... + c[N-1] by Horner's rule: the same operations in the same order as the
// chain written out, so the same bits in every lane.
template <std::size_t N>
[[gnu::always_inline]] inline double horner(double x, const double (&c)[N]) {
  double p = c[0];
  for (std::size_t k = 1; k < N; ++k)
    p = p * x + c[k];
  return p;
}

// 1/13! ... 1/2!, 1, 1: exp(r) = 1 + r + r^2/2! + ... + r^13/13!.
constexpr double kExpSeries[] = {1.0 / 6227020800.0,
                                 1.0 / 479001600.0,
                                 1.0 / 39916800.0,
                                 1.0 / 3628800.0,
                                 1.0 / 362880.0,
                                 1.0 / 40320.0,
                                 1.0 / 5040.0,
                                 1.0 / 720.0,
                                 1.0 / 120.0,
                                 1.0 / 24.0,
                                 1.0 / 6.0,
                                 0.5,
                                 1.0,
                                 1.0};
// 2/21 ... 2/3: 2 atanh(s) = 2s + s z (2/3 + 2/5 z + ... + 2/21 z^9), z = s^2.
constexpr double kAtanhSeries[] = {2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15, 2.0 / 13,
                                   2.0 / 11, 2.0 / 9,  2.0 / 7,  2.0 / 5,  2.0 / 3};
// sin a = a - a z (1/3! - z/5! + ... + z^7/17!) and cos a = 1 + z (-1/2! + z/4! - ... + z^7/16!),
// z = a^2.
constexpr double kSinSeries[] = {
    -1.0 / 355687428096000.0, 1.0 / 1307674368000.0, -1.0 / 6227020800.0, 1.0 / 39916800.0,
    -1.0 / 362880.0,          1.0 / 5040.0,          -1.0 / 120.0,        1.0 / 6.0};
constexpr double kCosSeries[] = {
    1.0 / 20922789888000.0, -1.0 / 87178291200.0, 1.0 / 479001600.0, -1.0 / 3628800.0,
    1.0 / 40320.0,          -1.0 / 720.0,         1.0 / 24.0,        -0.5};

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
    const double p = horner(r, kExpSeries);
    // k + 1023 is in 1 .. 2046 for v in the range above: the low bits of t's significand.
    const std::uint64_t scale = (std::bit_cast<std::uint64_t>(t) + 1023u) << 52;
    y[j] = p * std::bit_cast<double>(scale);
  }
}

// log(x) = k ln 2 + log(m), x = 2^k m with m in [sqrt(1/2), sqrt(2)): log(m) = 2 atanh(s),
// s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^21 (the first term left out is below
// 2^-60 of the sum). For positive normal x.
namespace {
[[gnu::always_inline]] inline double log_of(double x) {
  constexpr std::uint64_t kSqrtHalf = 0x3FE6A09E667F3BCDu;   // the bits of sqrt(1/2)
  constexpr std::uint64_t kTwo52Bits = 0x4330000000000000u;  // the bits of 2^52
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
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
  const double p = horner(z, kAtanhSeries);
  return kd * kLn2High + (kd * kLn2Low + (2.0 * s + s * (p * z)));
}
}  // namespace

SARCOSIM_VECTOR_CLONES
void log_lanes(const double (&x)[kMathLanes], double (&y)[kMathLanes]) {
  for (int j = 0; j < kMathLanes; ++j)
    y[j] = log_of(x[j]);
}

namespace {

// cos(2 pi u) and sin(2 pi u) for u in (0, 1). 4u = q + f exactly, q the nearest whole number (0
// .. 4) and |f| <= 1/2, so 2 pi u = q pi/2 + a with a = f pi/2 in [-pi/4, pi/4] (one rounding,
// where libm's argument 2 pi u is already rounded). cos a and sin a by their Taylor series to a^16
// and a^17 (the first terms left out are below 2^-58 of the sums); the quadrant q then swaps them
// and sets their signs, through the bits, so that every lane does the same operations.
[[gnu::always_inline]] inline void cos_sin_2pi(double u, double& c, double& s) {
  constexpr double kHalfPi = 1.5707963267948966;
  const double t = 4.0 * u;  // exact
  const double shifted = t + kShifter;
  const std::uint64_t q = std::bit_cast<std::uint64_t>(shifted);  // q in the low bits
  const double a = (t - (shifted - kShifter)) * kHalfPi;          // the difference is exact
  const double z = a * a;
  const double sin_a = a - a * (z * horner(z, kSinSeries));
  const double cos_a = 1.0 + z * horner(z, kCosSeries);
  // Quadrant 0: (cos a, sin a); 1: (-sin a, cos a); 2: (-cos a, -sin a); 3: (sin a, -cos a).
  const std::uint64_t odd = std::uint64_t{0} - (q & 1u);  // all ones in quadrants 1 and 3
  const std::uint64_t cb = std::bit_cast<std::uint64_t>(cos_a),
                      sb = std::bit_cast<std::uint64_t>(sin_a);
  const std::uint64_t first = (sb & odd) | (cb & ~odd), second = (cb & odd) | (sb & ~odd);
  c = std::bit_cast<double>(first ^ (((q + 1u) & 2u) << 62));  // negative in quadrants 1, 2
  s = std::bit_cast<double>(second ^ ((q & 2u) << 62));        // negative in quadrants 2, 3
}

[[gnu::always_inline]] inline void normal_pair_of(double u0, double u1, double& z0, double& z1) {
  const double r = std::sqrt(-2.0 * log_of(u0));
  double c, s;
  cos_sin_2pi(u1, c, s);
  z0 = r * c;
  z1 = r * s;
}

}  // namespace

SARCOSIM_VECTOR_CLONES
void normal_pair_lanes(const double (&u0)[kMathLanes], const double (&u1)[kMathLanes],
                       double (&z0)[kMathLanes], double (&z1)[kMathLanes]) {
  for (int j = 0; j < kMathLanes; ++j)
    normal_pair_of(u0[j], u1[j], z0[j], z1[j]);
}

std::array<double, 2> normal_pair(double u0, double u1) {
  std::array<double, 2> z;
  normal_pair_of(u0, u1, z[0], z[1]);
  return z;
}

}  // namespace sarcosim
