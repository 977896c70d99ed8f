// Events drawn ahead by the integrated-hazard method. Each person holds a budget E ~ Exp(1) per
// kind of event; every day the day's hazard is spent from it, and the event happens on the day the
// budget runs out. Then a new budget is drawn, keyed by (stream, agent, day).
//
// This gives exactly the event times of a process with that (time-varying) hazard, needs a random
// draw only when an event happens, and keeps common random numbers: a change that lowers one
// person's hazard moves only that person's events.
#pragma once

#include "sarcosim/core/rng.hpp"

namespace sarcosim {

inline double initial_budget(const Rng& rng, StreamId s, std::uint32_t agent) {
  return rng.exponential(s, agent, kInitDay);
}

// Spends `hazard_per_day`; returns true (and redraws the budget) when the event happens today.
template <class T>
inline bool spend_hazard(T& budget, double hazard_per_day, const Rng& rng, StreamId s,
                         std::uint32_t agent, std::int32_t day) {
  budget = static_cast<T>(budget - hazard_per_day);
  if (budget > 0) return false;
  budget = static_cast<T>(rng.exponential(s, agent, day));
  return true;
}

// Quiet days (core/module.hpp): spends `days` days of a constant hazard at once.
template <class T>
inline void spend_quiet(T& budget, double hazard_per_day, std::int32_t days) {
  budget = static_cast<T>(budget - hazard_per_day * days);
}

inline constexpr double kPerYearToPerDay = 1.0 / 365.25;

}  // namespace sarcosim
