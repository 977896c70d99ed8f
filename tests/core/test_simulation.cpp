#include <catch2/catch.hpp>

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
        return std::memcmp(ca[i].data, c.data,
                           a.population.size() * (ca[i].info.type == ColumnType::U8    ? 1
                                                  : ca[i].info.type == ColumnType::I16 ? 2
                                                  : ca[i].info.type == ColumnType::F64 ? 8
                                                                                       : 4)) == 0;
  }
  return false;
}

}  // namespace

TEST_CASE("same seed gives bit-identical results with 1 and 2 threads",
          "[simulation][determinism]") {
  // 10,000 agents span three blocks, so two threads really split the work.
  const Scenario sc = test::small_scenario({"run.agents=10000", "run.years=1.5"});
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
  // The muscle module draws each person's loss-rate multiplier. With it off, every draw of the
  // population and of demography must be the same: common random numbers across scenarios.
  const RunResult with = run_simulation(test::small_scenario({"muscle.enabled=true"}));
  const RunResult without = run_simulation(test::small_scenario({"muscle.enabled=false"}));
  REQUIRE(with.population.has("muscle.loss_multiplier"));
  REQUIRE_FALSE(without.population.has("muscle.loss_multiplier"));
  for (const char* col : {"sex", "birth_day", "height_m", "demography.planned_death_day",
                          "death_day", "death_cause", "alive"}) {
    INFO(col);
    CHECK(same_column(with, without, col));
  }
  // ...while the module itself does change what it owns.
  CHECK_FALSE(same_column(with, without, "alm_kg"));
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
