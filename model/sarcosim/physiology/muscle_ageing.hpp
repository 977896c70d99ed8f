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
// O((rate/365.25)^2) ~ 1e-9 per day; a period's loss is its power (retention_over), booked once.
inline double daily_retention(double rate_per_year) {
  return 1.0 - rate_per_year / 365.25;
}

// The share kept over `days` days at a share `kept_daily` kept each day: kept_daily^days by
// repeated squaring (at most 2 log2(days) multiplications, within 1e-14 of std::pow: tested).
// Plain IEEE operations in a fixed order, so a loop over people that vectorises gives the same
// bits.
inline double retention_over(double kept_daily, int days) {
  double kept = 1.0, square = kept_daily;
  for (int n = days; n > 0; n >>= 1) {
    if (n & 1) kept *= square;
    square *= square;
  }
  return kept;
}

}  // namespace sarcosim::physiology
