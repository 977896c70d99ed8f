// Disuse atrophy and recovery: small pure functions checked against their sources in
// tests/physiology/test_disuse.cpp.
#pragma once

#include <algorithm>
#include <cmath>

namespace sarcosim::physiology {

// Cumulative relative loss after `days` of full disuse: A * ln(1 + days / tau). Loss is fastest
// in the first days and levels off, as in Marusic 2021 (J Appl Physiol 131:194: quadriceps CSA
// -2.2 % at 5 d, -3.6 % at 10 d gives tau ~ 7 d). Amplitudes are set from Kortebein 2007/2008
// (older adults, 10 d bed rest: leg lean -6 %, knee-extensor strength -13 to -16 %).
inline double disuse_loss(double amplitude, double tau_days, double days) {
  return amplitude * std::log1p(days / tau_days);
}

// The share lost on day n (n >= 1) of an episode.
inline double disuse_increment(double amplitude, double tau_days, int n) {
  return disuse_loss(amplitude, tau_days, n) - disuse_loss(amplitude, tau_days, n - 1);
}

// Recovery after remobilisation is slower and less complete with age (Suetta 2009, Hvid 2014,
// Pisot 2016). Half-life of the recoverable deficit at an age, and the share never regained.
inline double recovery_halflife(double halflife_70, double age_slope, double age) {
  return halflife_70 * std::max(0.2, 1.0 + age_slope * (age - 70));
}
inline double unrecovered_share(double share_70, double age_slope, double age) {
  return std::clamp(share_70 + age_slope * (age - 70), 0.0, 0.95);
}

}  // namespace sarcosim::physiology
