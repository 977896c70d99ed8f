// DayOfAgeTable (core/day_of_age_table.hpp) must change no result: the same bits as computing.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "sarcosim/core/day_of_age_table.hpp"

using namespace sarcosim;

namespace {
double rate(double age) {
  return 0.0004 * std::exp(0.07 * (age - 70));
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}
}  // namespace

TEST_CASE("a day-of-age table gives exactly the computed value, at every day and beyond",
          "[core]") {
  const DayOfAgeTable table(rate);
  const std::int32_t birth = -30000;
  for (std::int32_t day = birth; day < birth + DayOfAgeTable::kDays + 400; ++day)
    REQUIRE(same_bits(table(day, birth), rate(age_years(day, birth))));
  // Negative ages (a birth after the day) are computed, not clamped.
  REQUIRE(same_bits(table(0, 10), rate(age_years(0, 10))));
}
