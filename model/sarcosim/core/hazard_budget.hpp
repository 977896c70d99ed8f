// Events drawn ahead by the integrated-hazard method. Each person holds a budget E ~ Exp(1) per
// kind of event; every day the day's hazard is spent from it, and the event happens on the day the
// budget runs out. Then a new budget is drawn, keyed by (stream, agent, day).
//
// This gives exactly the event times of a process with that (time-varying) hazard, needs a random
// draw only when an event happens, and keeps common random numbers: a change that lowers one
// person's hazard moves only that person's events.
//
// Budgets and daily hazards are whole numbers of quanta of 2^-28 (3.7e-9), so spending k days at
// once (a quiet stretch, core/module.hpp) leaves the same bits as k daily steps: quiet days and
// daily steps agree bit for bit, and an intervention that leaves a person's hazards alone leaves
// that person's events alone, whichever way each scenario steps them. A hazard is rounded to the
// nearest quantum: by under 0.2 % for hazards above 1e-6 a day (3.7e-4 a year; the baseline's
// smallest are above that).
//
// A budget takes 32 bits: the low 31 hold what is left of the current segment (under 8), the top
// bit says that another segment follows. A draw of 8 or more (e^-8, 0.03 % of draws) is held as a
// segment of 8 that continues: when it is spent, a new Exp(1) draw takes over. The exponential is
// memoryless (E - 8, given E > 8, is again Exp(1)), so the event times are those of E itself.
// Segments are long so that continuing is rare: the new draw is keyed by the day the segment is
// spent, which a change of the person's hazards moves, so between two scenarios it is a fresh
// draw where E would have moved only a little (common random numbers; with segments of 2, 13.5 %
// of draws, the paired intervals of `compare` were 1.1 to 1.7 times as wide).
#pragma once

#include <algorithm>
#include <cstdint>

#include "sarcosim/core/rng.hpp"

namespace sarcosim {

using HazardBudget = std::uint32_t;

inline constexpr int kBudgetQuantumBits = 28;
inline constexpr double kQuantaPerUnit = double{1u << kBudgetQuantumBits};
inline constexpr HazardBudget kMoreFollows = 1u << 31;
inline constexpr HazardBudget kSegmentMask = kMoreFollows - 1;
inline constexpr const char* kBudgetUnit = "2^-28 (bit 31: a new draw follows)";

// A daily hazard in quanta, rounded to the nearest. Hazards of 8 a day or more are held just
// under 8 (an event that day is certain); NaN and negative hazards count as 0.
inline std::uint32_t hazard_quanta(double hazard_per_day) {
  const double x = std::min(std::max(0.0, hazard_per_day * kQuantaPerUnit), double{kSegmentMask});
  return static_cast<std::uint32_t>(x + 0.5);
}

// What is left of a budget's current segment, in quanta (at least 1).
inline std::uint32_t segment_left(HazardBudget b) {
  return b & kSegmentMask;
}

// A budget from an Exp(1) draw: at least one quantum, so that a hazard of 0 never ends it. Without
// a branch, so that it runs in vector lanes (initial_budgets); larger draws give larger budgets
// (it is monotone), which initial_budgets relies on.
inline HazardBudget budget_from(double e) {
  const double x = e * kQuantaPerUnit + 0.5;
  const bool fits = x < double{kMoreFollows};  // else a segment of 8, continued (and NaN)
  const auto whole = static_cast<HazardBudget>(static_cast<std::int32_t>(fits ? x : 0.0));
  return fits ? std::max<HazardBudget>(1, whole) : (kMoreFollows | kSegmentMask);
}

inline HazardBudget draw_budget(const Rng& rng, StreamId s, std::uint32_t agent, std::int32_t day) {
  return budget_from(rng.exponential(s, agent, day));
}

inline HazardBudget initial_budget(const Rng& rng, StreamId s, std::uint32_t agent) {
  return draw_budget(rng, s, agent, kInitDay);
}

// initial_budget(rng, s, i) for each agent i in [first, last), into budget[i]: the same budgets,
// 16 draws and logarithms at a time (core/hazard_budget.cpp).
void initial_budgets(const Rng& rng, StreamId s, std::uint32_t first, std::uint32_t last,
                     HazardBudget* budget);

// Today's hazard (`owed` quanta) spends the whole segment: a continued budget goes on with a new
// draw (the k-th of the day is drawn with counter kContinuedDraw + k, apart from the event's
// redraw), an ended one is the event, and a new budget is drawn. Rare: kept out of line.
inline constexpr std::uint32_t kContinuedDraw = 0x40000000u;
[[gnu::noinline]] inline bool segment_spent(HazardBudget& budget, std::uint32_t owed,
                                            const Rng& rng, StreamId s, std::uint32_t agent,
                                            std::int32_t day) {
  for (std::uint32_t k = 1; budget & kMoreFollows; ++k) {
    owed -= segment_left(budget);
    budget = budget_from(rng.exponential(s, agent, day, kContinuedDraw + k));
    if (segment_left(budget) > owed) {
      budget -= owed;
      return false;
    }
  }
  budget = draw_budget(rng, s, agent, day);
  return true;
}

// Spends today's hazard; returns true (and redraws the budget) when the event happens today.
inline bool spend_hazard(HazardBudget& budget, double hazard_per_day, const Rng& rng, StreamId s,
                         std::uint32_t agent, std::int32_t day) {
  const std::uint32_t h = hazard_quanta(hazard_per_day);
  if (segment_left(budget) > h) {
    budget -= h;
    return false;
  }
  return segment_spent(budget, h, rng, s, agent, day);
}

// Quiet days: spends `days` days of a constant hazard at once. BusyMarks::until_spent has made
// sure the segment outlasts them, so days * h is below what is left of it.
inline void spend_quiet_quanta(HazardBudget& budget, std::uint32_t quanta_per_day,
                               std::int32_t days) {
  budget -= quanta_per_day * static_cast<std::uint32_t>(days);
}
inline void spend_quiet(HazardBudget& budget, double hazard_per_day, std::int32_t days) {
  spend_quiet_quanta(budget, hazard_quanta(hazard_per_day), days);
}

inline constexpr double kPerYearToPerDay = 1.0 / 365.25;

}  // namespace sarcosim
