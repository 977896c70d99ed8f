// Quiet days (run.quiet_periods, the default; core/module.hpp): people with no event coming are
// moved through those days at once. They must give every person exactly the life that daily steps
// give, and so keep common random numbers. (Thread-count independence, in both modes:
// test_simulation.cpp.)
#include <catch2/catch.hpp>

#include <cstring>

#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

using namespace sarcosim;

namespace {

// Bitwise equality of everything a person is: every event and every column.
void require_same_people(const RunResult& a, const RunResult& b) {
  // In the same order too: each day's busy people step in index order, as everyone does daily.
  REQUIRE(a.events.size() == b.events.size());
  CHECK(std::memcmp(a.events.data(), b.events.data(), a.events.size() * sizeof(Event)) == 0);
  const auto ca = a.population.columns(), cb = b.population.columns();
  REQUIRE(ca.size() == cb.size());
  for (std::size_t k = 0; k < ca.size(); ++k) {
    INFO(ca[k].info.name);
    REQUIRE(ca[k].info.name == cb[k].info.name);
    CHECK(test::column_bytes(a.population, ca[k]) == test::column_bytes(b.population, cb[k]));
  }
}

}  // namespace

TEST_CASE("fast mode and daily steps give every person the same life, bit for bit",
          "[simulation][quiet]") {
  // The baseline, every programme (two starting mid-period: their dropout days count from the
  // start), and in-silico cohorts whose disuse ends mid-period (people go quiet again for the rest
  // of a period once no module needs them daily).
  const std::vector<std::vector<std::string>> scenarios = {
      {},
      {"training_and_protein.enabled=true", "early_mobilisation.enabled=true",
       "fall_prevention_exercise.enabled=true", "hip_protectors.enabled=true"},
      {"resistance_training.enabled=true", "protein_supplement.enabled=true",
       "electrical_stimulation.enabled=true", "vitamin_d.enabled=true",
       "hip_fracture_rehabilitation.enabled=true", "vitamin_d.start_day=45",
       "resistance_training.start_day=200"},
      {"cohort.exposure=bed_rest", "cohort.start_day=40", "cohort.days=10", "cohort.share=0.3"},
      {"cohort.exposure=intensive_care", "cohort.start_day=45", "cohort.days=7",
       "cohort.share=0.3"},
      {"cohort.exposure=leg_immobilisation", "cohort.start_day=33", "cohort.days=5",
       "cohort.share=0.3"}};
  for (const auto& extra : scenarios) {
    auto with = [&](const char* mode) {
      std::vector<std::string> o = {"run.agents=8000", "run.years=3", mode};
      o.insert(o.end(), extra.begin(), extra.end());
      return run_simulation(test::small_scenario(o));
    };
    const RunResult daily = with("run.quiet_periods=false");
    const RunResult fast = with("run.quiet_periods=true");
    CHECK(fast.busy_agent_days < 0.9 * daily.busy_agent_days);  // fast mode did skip days
    require_same_people(daily, fast);
    // Series, in every sex and age band: the same counts; sums over quiet days (QALYs, costs) in
    // closed form, equal to rounding.
    const auto& specs = daily.registry.series();
    for (std::size_t p = 0; p < daily.periods.size(); ++p)
      for (std::size_t k = 0; k < specs.size(); ++k)
        for (int sex = 0; sex < 2; ++sex)
          for (int band = 0; band < AgeBands::kCount; ++band) {
            INFO(specs[k].name << " in period " << p << ", sex " << sex << ", band " << band);
            const auto s = static_cast<SeriesId>(k);
            CHECK(fast.at(p, s, sex, band) ==
                  Approx(daily.at(p, s, sex, band)).epsilon(1e-9).margin(1e-9));
          }
  }
}

TEST_CASE("a programme with no effect leaves everyone's events as they were, in fast mode",
          "[simulation][quiet][crn]") {
  // Vitamin D alone (no effect on falls or fractures, Bolland 2018): its participants are busy on
  // the days they enrol, finish or drop out, and quiet otherwise, as in the baseline; common random
  // numbers must hold all the same.
  auto with = [&](const char* vitamin_d) {
    return run_simulation(test::small_scenario(
        {"run.agents=8000", "run.years=3", "run.quiet_periods=true", vitamin_d}));
  };
  const RunResult base = with("vitamin_d.enabled=false");
  const RunResult other = with("vitamin_d.enabled=true");
  auto outside_programme = [](const RunResult& r) {
    std::vector<Event> kept;
    for (const Event& e : r.events)
      if (r.registry.event_types()[e.type].name.find("vitamin_d") == std::string::npos)
        kept.push_back(e);
    return kept;
  };
  const std::vector<Event> a = outside_programme(base), b = outside_programme(other);
  REQUIRE(b.size() < other.events.size());  // people did take part
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(Event)) == 0);
}

TEST_CASE("a stay begun today puts off asking whether the person may go quiet, never brings it on",
          "[simulation][quiet]") {
  const Period period{2, 60, 90};
  const Rng rng(1);
  BlockOutput out;
  const std::vector<std::uint32_t> agents = {100, 101, 102};
  // The loop's next check per person of a block starting at agent 100: the end of day 3, 20 and
  // 8 of the period.
  std::vector<std::int32_t> next_check = {3, 20, 8};
  StepContext today(65, period, rng, agents, out, QuietChecks{next_check.data(), 100});
  today.busy_through(100, 4);  // day 5 of the period, then 4 more: check after day 9
  today.busy_through(101, 4);  // already later
  CHECK(next_check == std::vector<std::int32_t>{9, 20, 8});
  // Everyone stepping daily: there are no checks to put off.
  StepContext daily(65, period, rng, agents, out);
  daily.busy_through(102, 30);
  CHECK(next_check == std::vector<std::int32_t>{9, 20, 8});
}

TEST_CASE("profiling asks each module apart about the busy people and changes no one's life",
          "[simulation][quiet]") {
  // RunOptions::profile asks every module's mark_busy, each day, about the day's busy people on
  // its own (core/simulation.cpp: probe_alone_quiet), in scratch marks: nothing of the run's.
  const Scenario sc = test::small_scenario({"run.agents=8000", "run.years=2"});
  RunOptions profiled;
  profiled.profile = true;
  const RunResult plain = run_simulation(sc), probed = run_simulation(sc, profiled);
  require_same_people(plain, probed);
  CHECK(plain.series == probed.series);
  REQUIRE(probed.busy_probed > 0);
  REQUIRE(probed.busy_probed <= probed.busy_agent_days);
  double economics = -1, hospital = -1;
  for (const auto& [name, quiet] : probed.module_alone_quiet) {
    INFO(name);
    CHECK(quiet >= 0);
    CHECK(quiet <= probed.busy_probed);
    if (name == "economics") economics = quiet;
    if (name == "hospital") hospital = quiet;
  }
  REQUIRE(economics >= 0);  // both were asked
  REQUIRE(hospital >= 0);
  CHECK(economics == probed.busy_probed);  // it never needs anyone daily: closed forms
  CHECK(hospital < probed.busy_probed);    // a stay or a bed rest goes on
  CHECK(plain.module_alone_quiet.empty());
}

TEST_CASE("people in an offered programme are quiet until they finish or drop out",
          "[simulation][quiet][interventions]") {
  // Vitamin D: most people aged 65+ take it up (Bolland 2018's trials), dropout 0.2 a year. Their
  // days in the programme need no daily step: only the days they enrol, finish or drop out do.
  const RunResult r = run_simulation(test::small_scenario(
      {"run.agents=8000", "run.years=2", "run.quiet_periods=true", "vitamin_d.enabled=true"}));
  const auto& specs = r.registry.series();
  const auto it = std::find_if(specs.begin(), specs.end(),
                               [](const auto& s) { return s.name == "enrolled_years_vitamin_d"; });
  REQUIRE(it != specs.end());
  double enrolled_days = 0;
  for (std::size_t p = 0; p < r.periods.size(); ++p)
    enrolled_days += r.total(p, static_cast<SeriesId>(it - specs.begin())) * kDaysPerYear;
  INFO("enrolled person-days " << enrolled_days << ", busy agent-days " << r.busy_agent_days);
  REQUIRE(enrolled_days > 0.2 * 8000 * 2 * kDaysPerYear);
  CHECK(r.busy_agent_days < 0.1 * enrolled_days);
}
