#include "sarcosim/core/hazard_budget.hpp"

#include "sarcosim/core/math_lanes.hpp"
#include "sarcosim/core/vector_clones.hpp"

namespace sarcosim {

static_assert(kMathLanes == kPhiloxLanes);

namespace {

// The budgets at the two ends of the bracket around each lane's -log(u) in which libm's lies
// (core/math_lanes.hpp); where they agree, that is the budget libm's logarithm gives.
SARCOSIM_VECTOR_CLONES
void budget_brackets(const double (&u)[kMathLanes], HazardBudget (&low)[kMathLanes],
                     HazardBudget (&high)[kMathLanes]) {
  alignas(64) double log_u[kMathLanes];
  log_lanes(u, log_u);
  for (int j = 0; j < kMathLanes; ++j) {
    low[j] = budget_from(-lane_high(log_u[j]));  // log(u) < 0: its high end is the draw's low end
    high[j] = budget_from(-lane_low(log_u[j]));
  }
}

}  // namespace

void initial_budgets(const Rng& rng, StreamId s, std::uint32_t first, std::uint32_t last,
                     HazardBudget* budget) {
  rng.for_each_uniform_lanes(s, first, last, kInitDay,
                             [&](std::uint32_t i, const double(&u)[kPhiloxLanes], std::uint32_t n) {
                               alignas(64) HazardBudget low[kMathLanes], high[kMathLanes];
                               budget_brackets(u, low, high);
                               for (std::uint32_t j = 0; j < n; ++j)
                                 budget[i + j] =
                                     low[j] == high[j] ? low[j] : budget_from(-std::log(u[j]));
                             });
}

}  // namespace sarcosim
