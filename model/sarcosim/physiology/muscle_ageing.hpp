// Loss of appendicular lean mass and of strength with age: small pure functions that unit tests
// check against the papers they come from.
#pragma once

#include <algorithm>
#include <cmath>

namespace sarcosim::physiology {

// A relative loss rate (1/yr) given its value at age 75 and a relative change per year of age:
// rate(age) = rate75 * (1 + slope * (age - 75)), never negative.
// Mitchell 2012 (Front Physiol 3:260): muscle mass loss near 75 is 0.80-0.98 %/yr in men and
// 0.64-0.70 %/yr in women; losses accelerate with age (the slope is an assumption).
inline double loss_rate_at(double rate75, double slope, double age) {
  return std::max(0.0, rate75 * (1.0 + slope * (age - 75.0)));
}

// One day of loss at a relative rate (1/yr): x * (1 - rate/365.25). First order is exact to
// O((rate/365.25)^2) ~ 1e-9 per day, and avoids an exp() per agent-day.
inline double daily_retention(double rate_per_year) {
  return 1.0 - rate_per_year / 365.25;
}

// x^n by squaring (n below 32: a period is at most 30 days), for three x side by side. The same
// operations in the same order wherever it is called, so days booked at once (modules/muscle.cpp)
// have the same bits whether a person steps daily or quietly.
inline void powers(const double (&x)[3], int n, double (&out)[3]) {
  double sq[3] = {x[0], x[1], x[2]};
  out[0] = out[1] = out[2] = 1;
  for (; n > 0; n >>= 1) {
    if (n & 1)
      for (int c = 0; c < 3; ++c)
        out[c] *= sq[c];
    for (int c = 0; c < 3; ++c)
      sq[c] *= sq[c];
  }
}

// n days at once of a value that keeps a share k of itself each day while it regains a share r
// of a deficit D each day, of which it keeps a share c (what is regained then ages too). With
// q = 1 - r: D -> D q^n, value -> value k^n + c r D (k^n - q^n) / (k - q), the sum over the days
// of k^(n-1-t) q^t (n k^(n-1) when k = q). kn = k^n and qn = q^n, k_before = k^(n-1), as powers()
// gives them.
struct AgedAndRegained {
  double value, deficit;
};
inline AgedAndRegained age_and_regain(double value, double deficit, double k, double kn,
                                      double k_before, double r, double qn, double c, int n) {
  const double q = 1 - r;
  const double sum = k != q ? (kn - qn) / (k - q) : n * k_before;
  return {value * kn + c * r * deficit * sum, deficit * qn};
}

}  // namespace sarcosim::physiology
