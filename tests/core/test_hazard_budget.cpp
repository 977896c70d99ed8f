// Hazard budgets (core/hazard_budget.hpp): spending k days at once must leave the same bits as k
// daily steps, the first busy day BusyMarks gives must never come after the event, and a budget
// held in segments must give the event times of one Exp(1) draw.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/module.hpp"

using namespace sarcosim;

TEST_CASE("hazards are whole quanta of 2^-28, rounded to the nearest", "[core][budget]") {
  CHECK(hazard_quanta(0.0) == 0);
  CHECK(hazard_quanta(-1.0) == 0);
  CHECK(hazard_quanta(std::nan("")) == 0);
  CHECK(hazard_quanta(1e300) == kSegmentMask);  // a certain event, held just under 8
  for (const double x : {1e-12, 3.7e-6, 0.5, 1.0 / 3, 1.25}) {
    const double q = std::ldexp(hazard_quanta(x), -kBudgetQuantumBits);
    CHECK(std::abs(q - x) <= std::ldexp(1.0, -kBudgetQuantumBits - 1));
  }
}

TEST_CASE("a draw of 8 or more is a segment that a new draw continues", "[core][budget]") {
  CHECK(budget_from(0.0) == 1);  // never 0: a hazard of 0 never ends a budget
  CHECK(budget_from(1.5) == (3u << 27));
  CHECK_FALSE(budget_from(7.5) & kMoreFollows);
  CHECK(budget_from(8.0) == (kMoreFollows | kSegmentMask));
  CHECK(budget_from(40.0) == (kMoreFollows | kSegmentMask));
}

namespace {
// Days (counted from 1) until each of n agents' budgets runs out at a constant daily hazard,
// starting from start(agent).
template <class Start>
std::vector<int> days_to_event(const Rng& rng, StreamId s, double h, int n, Start start) {
  std::vector<int> days;
  for (std::uint32_t agent = 0; agent < static_cast<std::uint32_t>(n); ++agent) {
    HazardBudget b = start(agent);
    std::int32_t day = 0;
    while (!spend_hazard(b, h, rng, s, agent, day))
      ++day;
    days.push_back(day + 1);
  }
  return days;
}
double mean_of(const std::vector<int>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double share_above(const std::vector<int>& v, int x) {
  return static_cast<double>(std::count_if(v.begin(), v.end(), [x](int d) { return d > x; })) /
         static_cast<double>(v.size());
}
}  // namespace

TEST_CASE("a continued segment goes on with a new Exp(1) draw", "[core][budget]") {
  // Everyone starts with a segment that continues (a draw of 8 or more), at 0.05 a day: it is
  // spent on day 159 (160 x 0.05 = 8), and the event follows a new Exp(1) draw later, after 20
  // days on average. Had the segment ended in the event, everyone would wait 0 days more.
  const Rng rng(77);
  const auto days = days_to_event(rng, stream("test.continued"), 0.05, 20000,
                                  [](std::uint32_t) { return kMoreFollows | kSegmentMask; });
  std::vector<int> more;  // days past the segment
  for (const int d : days)
    more.push_back(d - 160);
  CHECK(*std::min_element(more.begin(), more.end()) >= 0);
  // Geometric with mean about 1 / h = 20 days (standard error 0.14); P(more than 40) = e^-2.
  CHECK(mean_of(more) == Approx(20.5).margin(1));
  CHECK(share_above(more, 40) == Approx(std::exp(-2.0)).margin(0.01));
}

TEST_CASE("budgets give the waiting times of an Exp(1) draw", "[core][budget]") {
  // At a constant hazard h a day, the day of the event is geometric: P(day >= n) = (1 - h)^n
  // within rounding, about exp(-h n).
  const Rng rng(2024);
  constexpr StreamId s = stream("test.segments");
  const auto days = days_to_event(
      rng, s, 0.01, 20000, [&](std::uint32_t agent) { return initial_budget(rng, s, agent); });
  // Mean 1 / h = 100 days (SD 100, standard error 0.7); shares e^-2 and e^-4 (0.0183).
  CHECK(mean_of(days) == Approx(100).margin(3));
  CHECK(share_above(days, 200) == Approx(std::exp(-2.0)).margin(0.01));
  CHECK(share_above(days, 400) == Approx(std::exp(-4.0)).margin(0.005));
}

TEST_CASE("k quiet days spend exactly what k daily steps spend", "[core][budget]") {
  const Rng rng(12345);
  constexpr StreamId s = stream("test.budget");
  for (std::uint32_t agent = 0; agent < 2000; ++agent) {
    const double hazard = std::exp(-3 - 12 * rng.uniform(s, agent, 1));  // 6e-7 to 0.05 per day
    const HazardBudget start = initial_budget(rng, s, agent);
    const auto days = static_cast<std::int32_t>(1 + 365 * rng.uniform(s, agent, 2));
    // The first day the budget may run out, as BusyMarks sees it.
    std::vector<std::int32_t> from(1, days);
    BusyMarks marks(from.data(), nullptr, agent, 0, days);
    marks.until_spent(agent, start, hazard);
    const std::int32_t quiet = from[0];
    INFO("agent " << agent << ", hazard " << hazard << ", quiet days " << quiet);
    // The day the budget runs out when stepped daily (`days` if not in this period).
    HazardBudget daily = start;
    std::int32_t event_day = days;
    for (std::int32_t d = 0; d < days; ++d)
      if (spend_hazard(daily, hazard, rng, s, agent, d)) {
        event_day = d;
        break;
      }
    CHECK(quiet <= event_day);  // no event can fall in the quiet days
    // In whole quanta the first busy day is the event's day, unless a new draw continues the
    // segment (then it is the day the segment is spent, and the draw decides).
    if (!(start & kMoreFollows)) CHECK(quiet == event_day);
    HazardBudget stepped = start, at_once = start;
    for (std::int32_t d = 0; d < quiet; ++d)
      spend_hazard(stepped, hazard, rng, s, agent, d);
    spend_quiet(at_once, hazard, quiet);
    CHECK(at_once == stepped);  // bit for bit
    CHECK(segment_left(at_once) > 0);
  }
}

TEST_CASE("a hazard of 0 never makes anyone busy", "[core][budget]") {
  // Disease asks with a remission hazard of 0 for people without conditions: no day may be worked
  // out from it (a division by 0), even for the smallest budget.
  for (const HazardBudget budget : {budget_from(0.0), budget_from(0.5), budget_from(31.0)}) {
    std::vector<std::int32_t> from(1, 30);
    BusyMarks marks(from.data(), nullptr, 0, 0, 30);
    marks.until_spent(0, budget, 0.0);
    marks.until_spent(0, budget, 1e-300);  // rounds to 0 quanta
    CHECK(from[0] == 30);
    HazardBudget b = budget;
    const Rng rng(1);
    CHECK_FALSE(spend_hazard(b, 0.0, rng, stream("test.zero"), 0, 0));
    CHECK(b == budget);
  }
}

TEST_CASE("a hazard kept while marking is the one quiet days spend", "[core][budget]") {
  // Two slots for a block of 3 people starting at agent 10: each until_spent() with a slot keeps
  // the hazard in quanta where QuietContext::marked_quanta finds it, and marks as without a slot.
  constexpr std::uint32_t kFirst = 10, kPeople = 3;
  std::vector<std::uint32_t> memo(2 * kPeople, 0);
  std::vector<std::int32_t> with(kPeople, 30), without(kPeople, 30);
  BusyMarks kept(with.data(), nullptr, kFirst, 0, 30),
      plain(without.data(), nullptr, kFirst, 0, 30);
  kept.remember_in(memo.data(), kPeople);
  const double hazards[2][kPeople] = {{1e-4, 0.02, 0.5}, {0.0, 3e-6, 0.1}};
  const HazardBudget budget = budget_from(0.3);
  for (int slot = 0; slot < 2; ++slot)
    for (std::uint32_t k = 0; k < kPeople; ++k) {
      kept.until_spent(kFirst + k, budget, hazards[slot][k], slot);
      plain.until_spent(kFirst + k, budget, hazards[slot][k]);
    }
  CHECK(with == without);
  const Period p{0, 0, 30};
  BlockOutput out;
  QuietContext ctx(p, 0, out);
  ctx.remember_in(memo.data(), kPeople, kFirst);
  for (int slot = 0; slot < 2; ++slot)
    for (std::uint32_t k = 0; k < kPeople; ++k) {
      CHECK(ctx.marked_quanta(slot, kFirst + k) == hazard_quanta(hazards[slot][k]));
      HazardBudget a = budget, b = budget;
      spend_quiet_quanta(a, ctx.marked_quanta(slot, kFirst + k), 2);
      spend_quiet(b, hazards[slot][k], 2);
      CHECK(a == b);
    }
}
