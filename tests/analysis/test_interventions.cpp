// Interventions and their comparison: an intervention that reaches nobody changes nothing, bit for
// bit; interventions move outcomes in the direction of their sources; intervals narrow with
// replicates; compare refuses what cannot be compared.
#include <catch2/catch.hpp>

#include <cstring>

#include "sarcosim/analysis/compare.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

namespace {
const char* kProgrammes[] = {"resistance_training",
                             "protein_supplement",
                             "training_and_protein",
                             "early_mobilisation",
                             "electrical_stimulation",
                             "fall_prevention_exercise",
                             "hip_protectors",
                             "vitamin_d",
                             "hip_fracture_rehabilitation"};

// The snapshot of both runs, by name and value: a column may be kept per person in one run and as
// a table by mask in the other (muscle's training gains), and a programme switched on adds private
// columns that are not in the snapshot.
bool same_snapshot(const RunResult& a, const RunResult& b) {
  const auto sa = test::column_values(a.population, true),
             sb = test::column_values(b.population, true);
  for (const auto& [name, values] : sa)
    if (!sb.contains(name) || sb.at(name) != values) UNSCOPED_INFO("column " << name << " differs");
  return sa == sb;
}
}  // namespace

TEST_CASE("interventions that reach nobody give output identical to the baseline",
          "[interventions][crn]") {
  std::vector<std::string> zero = {"run.agents=6000", "run.years=2"};
  for (const char* p : kProgrammes) {
    zero.push_back(std::string(p) + ".enabled=true");
    zero.push_back(std::string(p) + ".uptake=0");
  }
  const RunResult base = run_simulation(test::small_scenario({"run.agents=6000", "run.years=2"}));
  const RunResult none = run_simulation(test::small_scenario(zero));
  // Every event and every column bit for bit. Series too, except that a triggered programme
  // makes the people it could take step daily, and sums over days stepped daily (QALYs, costs)
  // are added in another order than the closed forms of quiet days: equal to 1e-12.
  REQUIRE(base.series.size() == none.series.size());
  const std::size_t cells = 2 * AgeBands::kCount,
                    per_period = base.registry.series().size() * cells;
  for (std::size_t k = 0; k < base.series.size(); ++k) {
    INFO(base.registry.series()[k % per_period / cells].name << " in period " << k / per_period
                                                             << ", cell (sex, band) " << k % cells);
    CHECK(none.series[k] == Approx(base.series[k]).epsilon(1e-12).margin(1e-12));
  }
  REQUIRE(base.events.size() == none.events.size());
  CHECK(std::memcmp(base.events.data(), none.events.data(), base.events.size() * sizeof(Event)) ==
        0);
  CHECK(same_snapshot(base, none));
}

TEST_CASE("resistance training raises lean mass and strength among the enrolled",
          "[interventions]") {
  const std::vector<std::string> common = {"run.agents=4000", "run.years=0.5"};
  auto with = common;
  // A year's programme, so that those who accept at the first offer are still in it at the end.
  with.insert(with.end(), {"resistance_training.enabled=true", "resistance_training.uptake=0.5",
                           "resistance_training.duration_days=365"});
  const RunResult a = run_simulation(test::small_scenario(common));
  const RunResult b = run_simulation(test::small_scenario(with));
  const CoreColumns ca = CoreColumns::find(a.population), cb = CoreColumns::find(b.population);
  const auto enrolled = b.population.get_sparse<std::uint16_t>("interventions.enrolled");
  const auto* leg_a = a.population.get<float>("muscle.leg_strength");
  const auto* leg_b = b.population.get<float>("muscle.leg_strength");
  double d_alm = 0, d_leg = 0, n = 0;
  for (std::size_t i = 0; i < a.population.size(); ++i)
    if ((enrolled[i] & 1) && ca.alive[i] && cb.alive[i]) {
      d_alm += cb.alm_kg[i] - ca.alm_kg[i];
      d_leg += leg_b[i] / leg_a[i] - 1;
      ++n;
    }
  REQUIRE(n > 200);
  INFO("after 6 months, enrolled vs themselves untrained: ALM " << d_alm / n << " kg, leg strength "
                                                                << 100 * d_leg / n << " %");
  // Peterson 2011: +1.1 kg lean (about half appendicular) and +24-33 % strength at full adherence.
  CHECK(d_alm / n > 0.15);
  CHECK(d_alm / n < 0.6);
  CHECK(d_leg / n > 0.08);
}

TEST_CASE("uptake is the share of eligible people who ever take part", "[interventions]") {
  // Offered every period, each person decides once: over two years the share who ever enrolled
  // stays near the uptake instead of climbing towards everyone eligible.
  for (const double uptake : {0.1, 0.3, 0.6}) {
    const RunResult r = run_simulation(test::small_scenario(
        {"run.agents=6000", "run.years=2", "fall_prevention_exercise.enabled=true",
         "fall_prevention_exercise.uptake=" + std::to_string(uptake)}));
    const auto* until = r.population.get<std::int32_t>("fall_prevention_exercise.until_day");
    const CoreColumns c = CoreColumns::find(r.population);
    double ever = 0, eligible = 0;
    for (std::size_t i = 0; i < r.population.size(); ++i) {
      ever += until[i] != 0;  // enrolled now (> 0) or left (-1)
      // 65 by the run's end: offered a place at some period's start (the few who die before
      // turning 65, or turn 65 in the last period, count here too).
      eligible += age_years(r.days, c.birth_day[i]) >= 65;
    }
    INFO("uptake " << uptake << ": " << ever << " ever enrolled of " << eligible
                   << " eligible by the end");
    CHECK(std::abs(ever / eligible - uptake) < 0.04);  // fresh draws every period: 0.87-0.99
  }
}

TEST_CASE("fall-prevention exercise lowers falls, and vitamin D changes nothing",
          "[interventions]") {
  const std::vector<std::string> common = {"run.agents=8000", "run.years=2"};
  auto exercise = common, vitamin = common;
  // Everyone eligible takes part (uptake is coverage: at 0.5 half of them would, and the effect
  // on everyone's falls would be about half as large, too close to the run's noise).
  exercise.insert(exercise.end(),
                  {"fall_prevention_exercise.enabled=true", "fall_prevention_exercise.uptake=1"});
  vitamin.insert(vitamin.end(), {"vitamin_d.enabled=true", "vitamin_d.uptake=0.5"});
  const RunResult base = run_simulation(test::small_scenario(common));
  auto falls = [](const RunResult& r) {
    double t = 0;
    for (std::size_t p = 0; p < r.periods.size(); ++p)
      t += r.total(p, r.registry.find_series("falls"));
    return t;
  };
  const RunResult ex = run_simulation(test::small_scenario(exercise));
  INFO("falls: baseline " << falls(base) << ", exercise " << falls(ex));
  CHECK(falls(ex) < 0.93 * falls(base));
  const RunResult vd = run_simulation(test::small_scenario(vitamin));
  CHECK(falls(vd) == falls(base));  // the negative control, and common random numbers
}

TEST_CASE("the confidence interval narrows with more replicates", "[interventions][compare]") {
  test::TempDir dir;
  auto width = [&](int replicates) {
    const Scenario base = test::small_scenario({"run.agents=2000", "run.years=1"});
    const Scenario other = test::small_scenario(
        {"run.agents=2000", "run.years=1", "fall_prevention_exercise.enabled=true"});
    write_result(dir / "b.h5", base, run_replicates(base, replicates), {});
    write_result(dir / "o.h5", other, run_replicates(other, replicates), {});
    const Comparison c = compare(read_outcomes(dir / "b.h5"), read_outcomes(dir / "o.h5"));
    std::filesystem::remove(dir / "b.h5");
    std::filesystem::remove(dir / "o.h5");
    for (const auto& r : c.rows)
      if (r.outcome == "falls") return r.ci_high - r.ci_low;
    return -1.0;
  };
  const double w3 = width(3), w12 = width(12);
  INFO("95% interval width of the difference in falls: 3 replicates " << w3 << ", 12 replicates "
                                                                      << w12);
  CHECK(w12 < w3);
}

TEST_CASE("compare gives totals per 1000 people and prevalences per 1000 living",
          "[interventions][compare]") {
  test::TempDir dir;
  const Scenario base = test::small_scenario({"run.agents=2000", "run.years=1"});
  const Scenario other =
      test::small_scenario({"run.agents=2000", "run.years=1", "resistance_training.enabled=true",
                            "resistance_training.uptake=1"});
  write_result(dir / "b.h5", base, run_replicates(base, 1), {});
  write_result(dir / "o.h5", other, run_replicates(other, 1), {});
  const Comparison c = compare(read_outcomes(dir / "b.h5"), read_outcomes(dir / "o.h5"));
  int checked = 0;
  for (const auto& r : c.rows) {
    INFO(r.outcome << " (" << r.unit << "): difference " << r.difference);
    if (r.outcome == "sarcopenia_prevalence_end") {
      CHECK(r.difference != 0);
      CHECK(r.per_1000 == Approx(10 * r.difference));  // percentage points per 1000 living
      ++checked;
    }
    if (r.outcome == "falls") {
      CHECK(r.per_1000 == Approx(r.difference / 2));  // 2000 people
      ++checked;
    }
  }
  CHECK(checked == 2);
}

TEST_CASE("compare refuses files it cannot compare", "[compare][errors]") {
  test::TempDir dir;
  const Scenario small = test::small_scenario({"run.agents=500", "run.years=0.2"});
  const Scenario large = test::small_scenario({"run.agents=600", "run.years=0.2"});
  write_result(dir / "a.h5", small, run_simulation(small), {});
  write_result(dir / "b.h5", large, run_simulation(large), {});
  // The files and their sizes in the same order.
  CHECK_THROWS_WITH(compare(read_outcomes(dir / "a.h5"), read_outcomes(dir / "b.h5")),
                    Contains("a.h5 and " + (dir / "b.h5").string() + " cannot be compared") &&
                        Contains("different population sizes (500 vs 600 agents)"));
  // A file from another version of sarcosim.
  std::filesystem::copy_file(dir / "a.h5", dir / "old.h5");
  ScenarioOutcomes old = read_outcomes(dir / "old.h5");
  old.version = "0.0.1";
  CHECK_THROWS_WITH(compare(read_outcomes(dir / "a.h5"), old),
                    Contains("different sarcosim versions"));
  // Files that are not sarcosim results.
  const auto text = dir.write("notes.txt", "not a result");
  CHECK_THROWS_WITH(read_outcomes(text), Contains("not an HDF5 file"));
  {
    h5::File f = h5::File::create((dir / "other.h5").string());
    f.root().create_group("x");
    f.close();
  }
  CHECK_THROWS_WITH(read_outcomes(dir / "other.h5"), Contains("not a sarcosim result file"));
}

TEST_CASE("compare labels runs by scenario name, or by file name where names repeat", "[compare]") {
  auto run = [](const std::string& scenario, const std::string& file) {
    ScenarioOutcomes o;
    o.scenario = scenario;
    o.file = file;
    return o;
  };
  using Labels = std::vector<std::string>;
  CHECK(run_labels({run("baseline", "out/b.h5"), run("lab3_fall", "out/f.h5")}) ==
        Labels{"baseline", "lab3_fall"});
  // The same scenario with two seeds: the file names tell them apart.
  CHECK(run_labels({run("baseline", "out/b.h5"), run("lab3_fall", "out/f.h5"),
                    run("lab3_fall", "out/f_seed_9.h5")}) == Labels{"baseline", "f", "f_seed_9"});
  // ...and where the file names are the same too, their paths.
  CHECK(run_labels({run("baseline", "out/b.h5"), run("lab3_fall", "a/f.h5"),
                    run("lab3_fall", "b/f.h5")}) == Labels{"baseline", "a/f.h5", "b/f.h5"});
}

TEST_CASE("compare says whether the pairs share their random numbers", "[interventions][compare]") {
  test::TempDir dir;
  const Scenario base = test::small_scenario({"run.agents=500", "run.years=0.2", "run.seed=3"});
  const Scenario same = test::small_scenario(
      {"run.agents=500", "run.years=0.2", "run.seed=3", "fall_prevention_exercise.enabled=true"});
  const Scenario other = test::small_scenario(
      {"run.agents=500", "run.years=0.2", "run.seed=9", "fall_prevention_exercise.enabled=true"});
  write_result(dir / "b.h5", base, run_replicates(base, 2), {});
  write_result(dir / "s.h5", same, run_replicates(same, 2), {});
  write_result(dir / "o.h5", other, run_replicates(other, 2), {});
  const ScenarioOutcomes b = read_outcomes(dir / "b.h5");
  CHECK(b.seeds == std::vector<double>{3, 4});
  CHECK(compare(b, read_outcomes(dir / "s.h5")).common_random_numbers);
  CHECK_FALSE(compare(b, read_outcomes(dir / "o.h5")).common_random_numbers);
}
