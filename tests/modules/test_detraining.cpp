// Training gains fade after training stops, at a daily rate r = ln 2 / half-life towards 0. A
// period's fading is booked on its first day, for people not in a programme that trains then
// (modules/muscle.cpp: book_detraining): the gains times (1 - r)^days, whether the person steps
// daily or quietly.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sarcosim/core/simulation.hpp"
#include "sarcosim/physiology/muscle_ageing.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("training gains fade by a period's detraining, booked on its first day",
          "[muscle][training]") {
  const bool quiet = GENERATE(true, false);
  // Everyone eligible takes a place offered on day 0 or 30 and trains for 60 days without
  // dropping out: those from day 0 finish on day 60, the first day of the third period.
  const double half_life = 120;
  auto run_for = [&](int days) {
    return run_simulation(test::small_scenario(
        {"run.agents=3000", "run.seed=5", "run.years=" + std::to_string(days / kDaysPerYear),
         std::string("run.quiet_periods=") + (quiet ? "true" : "false"),
         "resistance_training.enabled=true", "resistance_training.uptake=1",
         "resistance_training.dropout_rate=0", "resistance_training.duration_days=60",
         "muscle.detraining_halflife_days=" + std::to_string(half_life)}));
  };
  const RunResult before = run_for(60), after = run_for(90);
  REQUIRE(before.days == 60);
  REQUIRE(after.days == 90);
  REQUIRE(after.periods.back().first_day == 60);

  const auto a = test::column_values(before.population, false),
             b = test::column_values(after.population, false);
  const std::vector<double>&alm0 = a.at("muscle.training_gain_kg"),
        &leg0 = a.at("muscle.training_gain_leg"), &alm1 = b.at("muscle.training_gain_kg"),
        &leg1 = b.at("muscle.training_gain_leg"), &enrolled = b.at(state::kEnrolled),
        &alive = b.at("alive");
  // The same people and draws through day 59 (common random numbers): the gains on day 60 are the
  // shorter run's last ones.
  const double kept = physiology::retention_over(1 - std::log(2.0) / half_life, 30);
  int former = 0, exact = 0;
  double ratio = 0;
  for (std::size_t i = 0; i < alm0.size(); ++i) {
    if (!alive[i] || enrolled[i] != 0 || alm0[i] == 0) continue;
    ++former;
    // As a day of training moves gains (Muscle::apply_training), by the period's share kept.
    const auto g = static_cast<float>(alm0[i] + (alm0[i] * kept - alm0[i]));
    const auto l = static_cast<float>(leg0[i] * kept);
    exact += alm1[i] == g && leg1[i] == l;
    ratio += alm1[i] / alm0[i];
  }
  INFO((quiet ? "quiet days" : "daily steps") << ": " << former << " former trainees, " << exact
                                              << " faded exactly by the booked share " << kept);
  REQUIRE(former > 500);
  CHECK(exact == former);
  CHECK(ratio / former == Approx(kept).epsilon(1e-6));
  // 30 days of the half-life's daily rate: a quarter of a halving, to first order in r.
  CHECK(kept == Approx(std::pow(0.5, 30 / half_life)).epsilon(1e-3));
}
