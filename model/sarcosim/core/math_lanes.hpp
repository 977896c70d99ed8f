// exp() and log() of 16 numbers at once, for callers that round the result to a coarse grid (a
// hazard budget in quanta of 2^-28, a ratio in half precision): the lanes run side by side in
// vector registers, where libm takes one number at a time. They are not libm's bits, so a caller
// keeps libm's result by bracketing (core/hazard_budget.hpp, modules/demography.cpp): libm is
// within an ulp of the true value and these within a few (tests/core/test_math_lanes.cpp), so both
// lie within kLaneMathError of a lane's result. If the grid point is the same at both ends of that
// bracket (the rounding is monotone), it is libm's; otherwise (rarely: about one budget in 2,000,
// one ratio in 10^8) the caller asks libm. Results stay those of libm, bit for bit. Standard
// normals (normal_pair_lanes, below) are the exception: used as they are.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace sarcosim {

inline constexpr int kMathLanes = 16;

// A relative bound on |lane result - libm result|: 2^-40, thousands of times either's error.
inline constexpr double kLaneMathError = 0x1p-40;

// y[j] = exp(x[j]), x[j] held to [-708, 709] (where the result is a normal double).
void exp_lanes(const double (&x)[kMathLanes], double (&y)[kMathLanes]);

// y[j] = log(x[j]) for positive normal x[j].
void log_lanes(const double (&x)[kMathLanes], double (&y)[kMathLanes]);

// Standard normals by Box-Muller from uniforms in (0, 1): z0 = r cos(2 pi u1), z1 = r sin(2 pi u1),
// r = sqrt(-2 log u0), 16 pairs at once. Unlike the functions above, their results are used as
// they are, so they come from this file's own arithmetic, not libm's: the same bits on any
// machine and with any libm, within 2^-51 x r of the exact normal (libm's log, cos and sin give
// 2^-50, having rounded 2 pi u1 first; tests/core/test_math_lanes.cpp), and in vector lanes.
void normal_pair_lanes(const double (&u0)[kMathLanes], const double (&u1)[kMathLanes],
                       double (&z0)[kMathLanes], double (&z1)[kMathLanes]);

// One pair, bit for bit as normal_pair_lanes gives it.
std::array<double, 2> normal_pair(double u0, double u1);

// Whether libm's result, within the bracket around the lane's result y (positive, normal),
// rounds to the same number with `bits` significant bits (to the nearest) as y does: y is not
// near a midpoint between two such numbers. The bracket is under 2^13 units in the last place of
// y; the margin is twice that. Integer operations only, so it runs in vector lanes.
inline bool rounds_alike(double y, int bits) {
  const std::uint64_t dropped =
      std::bit_cast<std::uint64_t>(y) & ((std::uint64_t{1} << (53 - bits)) - 1);
  const std::uint64_t midpoint = std::uint64_t{1} << (52 - bits), margin = std::uint64_t{1} << 14;
  return (dropped > midpoint ? dropped - midpoint : midpoint - dropped) > margin;
}

// The two ends of the bracket around a lane's result `y` in which libm's lies.
inline double lane_low(double y) {
  return y - std::fabs(y) * kLaneMathError;
}
inline double lane_high(double y) {
  return y + std::fabs(y) * kLaneMathError;
}

}  // namespace sarcosim
