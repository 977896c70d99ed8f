// Programmes' dropout: a daily probability q (dropout_rate / 365.25), drawn for offered programmes
// as one waiting time a person and period (modules/interventions/programme.cpp). The shares who
// leave must be those of a draw each day, counted from the day people can first be in.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("an offered programme's dropouts are those of a daily draw, from the day it starts",
          "[interventions][dropout]") {
  // 20 a year: most leave within weeks, so shares are measured closely. The programme starts
  // mid-period, on day 45: its first period has fewer days to leave in than days in it.
  const int rate = 20;
  const double q = rate / kDaysPerYear;
  const std::int32_t start = 45;
  const RunResult r = run_simulation(
      test::small_scenario({"run.agents=8000", "run.years=1", "vitamin_d.enabled=true",
                            "vitamin_d.start_day=" + std::to_string(start),
                            "vitamin_d.dropout_rate=" + std::to_string(rate)}));
  const EventTypeId enrol = test::event_type(r, "enrol_vitamin_d"),
                    leave = test::event_type(r, "leave_vitamin_d");
  std::size_t first = 0;
  while (r.periods[first].end_day <= start)
    ++first;
  const Period& p = r.periods[first];
  REQUIRE(p.first_day < start);  // the programme does start mid-period

  // Places are offered each period to those not yet in; in the first, taken up on the start day.
  double enrolled = 0, left_first = 0, dropouts = 0;
  for (const Event& e : r.events) {
    const bool in_first = e.day >= p.first_day && e.day < p.end_day;
    if (e.type == enrol && in_first) {
      CHECK(e.day == start);
      enrolled += 1;
    }
    if (e.type == leave && e.detail == 2) {
      dropouts += 1;
      if (in_first) left_first += 1;
    }
  }
  REQUIRE(enrolled > 1000);
  // In the first period: P(leave within the days from the start to the period's end).
  const double expected_first = 1 - std::pow(1 - q, p.end_day - start);
  INFO(enrolled << " enrolled, " << left_first << " dropped out in the first period ("
                << p.first_day << "-" << p.end_day << "), expected share " << expected_first);
  CHECK(left_first / enrolled == Approx(expected_first).margin(0.04));  // about 4 standard errors

  // Over the year: a geometric waiting time has (1 - q) / q days in before the day one leaves,
  // so dropouts per day enrolled is q / (1 - q) (deaths and the year's end only censor).
  double days_in = 0;
  const SeriesId years_in = r.registry.find_series("enrolled_years_vitamin_d");
  for (std::size_t k = 0; k < r.periods.size(); ++k)
    days_in += r.total(k, years_in) * kDaysPerYear;
  INFO(dropouts << " dropouts in " << days_in << " days enrolled");
  CHECK(dropouts / days_in == Approx(q / (1 - q)).epsilon(0.06));  // about 4.5 standard errors
}
