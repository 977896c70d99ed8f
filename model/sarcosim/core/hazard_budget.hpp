// Events drawn ahead by the integrated-hazard method. Each person holds a budget E ~ Exp(1) per
// kind of event; every day the day's hazard is spent from it, and the event happens on the day the
// budget runs out. Then a new budget is drawn, keyed by (stream, agent, day).
//
// This gives exactly the event times of a process with that (time-varying) hazard, needs a random
// draw only when an event happens, and keeps common random numbers: a change that lowers one
// person's hazard moves only that person's events.
//
// Budgets and hazards are exact binary fractions (multiples of 2^-47, below 32), so every sum and
// difference of them is exact: spending k days at once (a quiet stretch, core/module.hpp) leaves
// the same bits as k daily steps. Quiet days and daily steps then agree bit for bit, and an
// intervention that leaves a person's hazards alone leaves that person's events alone, whichever
// way each scenario steps them.
#pragma once

#include <algorithm>

#include "sarcosim/core/rng.hpp"

namespace sarcosim {

// Rounds x in [0, 32) to the nearest multiple of 2^-47: adding 32 moves x into [32, 64), where
// the spacing of doubles is 2^-47, and taking 32 away again is exact. Larger values are held at
// just under 32 (a daily hazard that high is a certain event; a budget that high has probability
// e^-32).
inline double exact_fraction(double x) {
  constexpr double kShift = 32.0;
  constexpr double kMax = 31.999;
  return (std::clamp(x, 0.0, kMax) + kShift) - kShift;  // not folded: no -ffast-math here
}

inline double draw_budget(const Rng& rng, StreamId s, std::uint32_t agent, std::int32_t day) {
  return exact_fraction(rng.exponential(s, agent, day));
}

inline double initial_budget(const Rng& rng, StreamId s, std::uint32_t agent) {
  return draw_budget(rng, s, agent, kInitDay);
}

// Spends today's hazard; returns true (and redraws the budget) when the event happens today.
inline bool spend_hazard(double& budget, double hazard_per_day, const Rng& rng, StreamId s,
                         std::uint32_t agent, std::int32_t day) {
  budget -= exact_fraction(hazard_per_day);
  if (budget > 0) return false;
  budget = draw_budget(rng, s, agent, day);
  return true;
}

// Quiet days: spends `days` days of a constant hazard at once. BusyMarks::until_spent has made
// sure the budget stays above 0, so k * h is below 32 and exact.
inline void spend_quiet(double& budget, double hazard_per_day, std::int32_t days) {
  budget -= exact_fraction(hazard_per_day) * days;
}

inline constexpr double kPerYearToPerDay = 1.0 / 365.25;

}  // namespace sarcosim
