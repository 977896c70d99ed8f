// Hazard budgets (core/hazard_budget.hpp): spending k days at once must leave the same bits as k
// daily steps, and the first busy day BusyMarks gives must never come after the event.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/module.hpp"

using namespace sarcosim;

TEST_CASE("budgets and hazards are exact binary fractions below 32", "[core][budget]") {
  CHECK(exact_fraction(0.0) == 0.0);
  CHECK(exact_fraction(-1.0) == 0.0);
  CHECK(exact_fraction(1e300) < 32.0);
  for (const double x : {1e-16, 3.7e-6, 0.5, 1.0 / 3, 17.25}) {
    const double q = exact_fraction(x);
    CHECK(std::abs(q - x) <= std::ldexp(1.0, -48));
    CHECK(std::ldexp(q, 47) == std::floor(std::ldexp(q, 47)));  // a multiple of 2^-47
  }
}

TEST_CASE("k quiet days spend exactly what k daily steps spend", "[core][budget]") {
  const Rng rng(12345);
  constexpr StreamId s = stream("test.budget");
  for (std::uint32_t agent = 0; agent < 2000; ++agent) {
    const double hazard = std::exp(-3 - 12 * rng.uniform(s, agent, 1));  // 6e-7 to 0.05 per day
    const double start = initial_budget(rng, s, agent);
    const auto days = static_cast<std::int32_t>(1 + 365 * rng.uniform(s, agent, 2));
    // The first day the budget may run out, as BusyMarks sees it.
    std::vector<std::int32_t> from(1, days);
    BusyMarks marks(from.data(), nullptr, agent, 0, days);
    marks.until_spent(agent, start, hazard);
    const std::int32_t quiet = from[0];
    INFO("agent " << agent << ", hazard " << hazard << ", quiet days " << quiet);
    // The day the budget runs out when stepped daily (`days` if not in this period).
    double daily = start;
    std::int32_t event_day = days;
    for (std::int32_t d = 0; d < days; ++d)
      if (spend_hazard(daily, hazard, rng, s, agent, d)) {
        event_day = d;
        break;
      }
    CHECK(quiet <= event_day);      // no event can fall in the quiet days
    CHECK(quiet >= event_day - 1);  // and they are not cut short for nothing
    double stepped = start, at_once = start;
    for (std::int32_t d = 0; d < quiet; ++d)
      spend_hazard(stepped, hazard, rng, s, agent, d);
    spend_quiet(at_once, hazard, quiet);
    CHECK(at_once == stepped);  // bit for bit
    CHECK(at_once > 0);
  }
}

TEST_CASE("a hazard of 0 never makes anyone busy", "[core][budget]") {
  // Disease asks with a remission hazard of 0 for people without conditions; a budget drawn as 0
  // (an exponential below 2^-48) must not turn that into a day worked out from 0 / 0. Without the
  // check, the cast of that NaN and the day before it are undefined: the sanitizer run
  // (scripts/sanitize) stops on a signed overflow there, while plain builds happen to pass.
  for (const double budget : {0.0, 1e-300, 0.5, 31.0}) {
    std::vector<std::int32_t> from(1, 30);
    BusyMarks marks(from.data(), nullptr, 0, 0, 30);
    marks.until_spent(0, budget, 0.0);
    marks.until_spent(0, budget, 1e-300);  // rounds to 0 (exact_fraction)
    CHECK(from[0] == 30);
  }
}
