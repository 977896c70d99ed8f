#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

using namespace sarcosim;

namespace {

// Byte-for-byte equality of two columns of the same name.
bool same_column(const RunResult& a, const RunResult& b, const std::string& name) {
  const auto ca = a.population.columns(), cb = b.population.columns();
  for (std::size_t i = 0; i < ca.size(); ++i) {
    if (ca[i].info.name != name) continue;
    for (const auto& c : cb)
      if (c.info.name == name)
        return test::column_bytes(a.population, ca[i]) == test::column_bytes(b.population, c);
  }
  return false;
}

}  // namespace

TEST_CASE("same seed gives bit-identical results with 1 and 2 threads",
          "[simulation][determinism]") {
  // 10,000 agents span three blocks, so two threads really split the work. With quiet days (the
  // default) and with everyone stepped daily.
  const std::string mode =
      GENERATE(std::string("run.quiet_periods=true"), std::string("run.quiet_periods=false"));
  INFO(mode);
  const Scenario sc = test::small_scenario({"run.agents=10000", "run.years=1.5", mode});
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const RunResult a = run_simulation(sc, one);
  const RunResult b = run_simulation(sc, two);
  REQUIRE(a.series.size() == b.series.size());
  CHECK(std::memcmp(a.series.data(), b.series.data(), a.series.size() * sizeof(double)) == 0);
  REQUIRE(a.events.size() == b.events.size());
  CHECK(std::memcmp(a.events.data(), b.events.data(), a.events.size() * sizeof(Event)) == 0);
  for (const auto& col : a.population.columns()) {
    INFO(col.info.name);
    CHECK(same_column(a, b, col.info.name));
  }
}

TEST_CASE("a different seed gives different results", "[simulation][determinism]") {
  const RunResult a = run_simulation(test::small_scenario({"run.seed=1"}));
  const RunResult b = run_simulation(test::small_scenario({"run.seed=2"}));
  CHECK_FALSE(same_column(a, b, "alm_kg"));
}

TEST_CASE("switching a random-drawing module on or off leaves other modules' draws unchanged",
          "[simulation][crn]") {
  // Every module draws its starting state and its first event budgets at initialisation. Turning
  // one module's mechanism on or off (here the in-silico cohort, which draws who is enrolled, and
  // muscle physiology) must leave every other draw as it was: common random numbers.
  const RunResult a = run_simulation(test::small_scenario({"run.years=0.01"}));
  const RunResult b = run_simulation(test::small_scenario(
      {"run.years=0.01", "cohort.exposure=bed_rest", "cohort.share=0.5", "muscle.enabled=false"}));
  for (const char* col :
       {"sex", "birth_day", "height_m", "weight_kg", "alm_kg_start", "grip_kg_start",
        "activity.propensity", "nutrition.usual_protein_g_per_kg", "disease.onset_budget",
        "hospital.admission_budget", "falls.proneness", "fractures.osteoporosis_from_day",
        "sarcopenia.gait_residual"}) {
    INFO(col);
    CHECK(same_column(a, b, col));
  }
  // ...while the switched modules do change what they own.
  CHECK_FALSE(same_column(a, b, "cohort.member"));
  CHECK_FALSE(same_column(a, b, "alm_kg"));
}

TEST_CASE("a person's life does not depend on other people or on population size",
          "[simulation][crn]") {
  // Person k (the k-th drawn) is the same person with the same random numbers in a run of 3,000
  // and of 6,000, though stored elsewhere (people are stored oldest first): the first 3,000
  // people's whole histories are identical. (Background mortality is switched off: its hazard
  // ratios are normalised by their mean in the starting population, the one place where a
  // population-level quantity enters a person's history.)
  const RunResult small = run_simulation(
      test::small_scenario({"run.agents=3000", "demography.mortality_multiplier=0"}));
  const RunResult large = run_simulation(
      test::small_scenario({"run.agents=6000", "demography.mortality_multiplier=0"}));
  const auto* small_person = small.population.get<std::uint32_t>("person");
  const auto* large_person = large.population.get<std::uint32_t>("person");
  std::vector<std::uint32_t> in_large(large.population.size());  // place of each person
  for (std::uint32_t i = 0; i < large.population.size(); ++i)
    in_large[large_person[i]] = i;
  const auto cb = large.population.columns();
  for (const auto& ca : small.population.columns()) {
    INFO(ca.info.name);
    const auto other = std::find_if(cb.begin(), cb.end(),
                                    [&](const auto& c) { return c.info.name == ca.info.name; });
    REQUIRE(other != cb.end());
    const std::size_t size = Population::element_size(ca.info.type);
    const auto in_small_bytes = test::column_bytes(small.population, ca),
               in_large_bytes = test::column_bytes(large.population, *other);
    std::size_t differ = 0;
    for (std::uint32_t i = 0; i < small.population.size(); ++i)
      differ += std::memcmp(in_small_bytes.data() + i * size,
                            in_large_bytes.data() + in_large[small_person[i]] * size, size) != 0;
    CHECK(differ == 0);
  }
}

TEST_CASE("deaths, person-years and the alive count add up", "[simulation]") {
  const RunResult r = run_simulation(test::small_scenario());
  const auto& reg = r.registry;
  double deaths = 0, by_cause = 0;
  for (std::size_t p = 0; p < r.periods.size(); ++p) {
    deaths += r.total(p, reg.deaths);
    for (std::size_t c = 1; c < reg.death_causes().size(); ++c)
      by_cause += r.total(p, reg.cause_series(static_cast<std::uint8_t>(c)));
  }
  const double alive_end = r.total(r.periods.size() - 1, reg.alive);
  CHECK(alive_end + deaths == Approx(static_cast<double>(r.population.size())));
  CHECK(by_cause == deaths);
  // Person-years lie between (alive at end) x years and agents x years.
  double py = 0;
  for (std::size_t p = 0; p < r.periods.size(); ++p)
    py += r.total(p, reg.person_years);
  const double years = r.days / kDaysPerYear;
  CHECK(py <= static_cast<double>(r.population.size()) * years + 1e-6);
  CHECK(py >= alive_end * years - 1e-6);
}
