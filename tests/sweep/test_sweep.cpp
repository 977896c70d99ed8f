// Sweeps: malformed sweep files are refused; sharded sweeps equal a whole one; a killed sweep
// resumes to the same results; failed runs are recorded and the sweep goes on; PRCC is right.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "sarcosim/analysis/compare.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/sweep/plan.hpp"
#include "sarcosim/sweep/runner.hpp"
#include "sarcosim/sweep/summary.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

std::string sweep_text(const std::string& body) {
  return "base = \"" + std::string(SARCOSIM_SOURCE_DIR) +
         "/scenarios/baseline.toml\"\nagents = 600\nyears = 0.5\n" + body;
}

std::string load_error(const test::TempDir& dir, const std::string& text) {
  try {
    load_sweep(dir.write("s.toml", text));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// The series of a run's result file (what a sweep's results are), for comparing layouts.
std::vector<double> deaths_of(const fs::path& file) {
  const h5::File f = h5::File::open_read(file.string());
  return f.root().open_group("series").read_doubles("deaths");
}

const std::string kGrid = sweep_text(
    "method = \"grid\"\nreplicates = 2\n[parameters]\n"
    "\"falls.rate_70\" = [0.1, 0.2]\n\"nutrition.protein_mean\" = [0.8, 1.0, 1.2]\n");

}  // namespace

TEST_CASE("sweep plans: grid, list, Latin hypercube and Sobol", "[sweep]") {
  test::TempDir dir;
  const SweepPlan grid = load_sweep(dir.write("g.toml", kGrid));
  REQUIRE(grid.runs.size() == 6);
  CHECK(grid.runs[5].values[0].second == "0.2");
  CHECK(grid.runs[5].values[1].second == "1.2");
  const SweepPlan list = load_sweep(dir.write(
      "l.toml", sweep_text("method = \"list\"\n[[run]]\n\"falls.rate_70\" = 0.1\n"
                           "[[run]]\n\"falls.rate_70\" = 0.3\n\"muscle.loss_rate_sd\" = 0.5\n")));
  CHECK(list.runs.size() == 2);
  CHECK(list.parameters.size() == 2);
  for (const char* method : {"lhs", "sobol"}) {
    const SweepPlan s = load_sweep(dir.write(
        "s.toml",
        sweep_text(std::string("method = \"") + method +
                   "\"\nsamples = 10\n[parameters]\n\"falls.rate_70\" = {min = 0.1, max = 0.3}\n"
                   "\"muscle.loss_rate_sd\" = {min = 0.1, max = 0.5}\n")));
    REQUIRE(s.runs.size() == 10);
    // A Latin hypercube puts exactly one sample in each tenth of each range.
    if (std::string(method) == "lhs") {
      std::vector<int> strata(10, 0);
      for (const auto& r : s.runs)
        ++strata[static_cast<std::size_t>((std::stod(r.values[0].second) - 0.1) / 0.02)];
      for (int n : strata)
        CHECK(n == 1);
    }
  }
  // Sizes given on the command line override the plan's.
  CHECK(load_sweep(dir.write("g.toml", kGrid), {0, 0, 5}).replicates == 5);
}

TEST_CASE("malformed sweep files are refused with file, line and key", "[sweep][errors]") {
  test::TempDir dir;
  CHECK_THAT(load_error(dir, "method = \"grid\"\n"), Contains("missing base"));
  CHECK_THAT(load_error(dir, sweep_text("[parameters]\n\"falls.rate_7\" = [0.1]\n")),
             Contains("s.toml:5") && Contains("unknown parameter 'falls.rate_7'") &&
                 Contains("did you mean 'falls.rate_70'"));
  CHECK_THAT(
      load_error(dir, sweep_text("[parameters]\n\"falls.rate_70\" = [0.1, 50]\n")),
      Contains("run 1") && Contains("falls.rate_70 = 50 is outside the allowed range [0, 20]"));
  CHECK_THAT(
      load_error(dir, sweep_text("method = \"monte\"\n[parameters]\n\"falls.rate_70\" = [0.1]\n")),
      Contains("method must be one of list, grid, lhs, sobol"));
  CHECK_THAT(
      load_error(
          dir, sweep_text(
                   "method = \"lhs\"\n[parameters]\n\"falls.rate_70\" = {min = 0.1, max = 0.2}\n")),
      Contains("needs samples = N"));
  CHECK_THAT(
      load_error(dir, sweep_text("method = \"lhs\"\nsamples = 4\n[parameters]\n\"falls.rate_70\" = "
                                 "{min = 0.3, max = 0.2}\n")),
      Contains("min must be below max"));
  CHECK_THAT(load_error(dir, sweep_text("replicate = 3\n")), Contains("unknown key 'replicate'"));
  CHECK_THAT(load_error(dir, sweep_text("[parameters]\n\"falls.rate_70\" = 0.1\n")),
             Contains("needs a list of values"));
  CHECK_THAT(load_error(dir, sweep_text("[parameters\n")), Contains("TOML syntax error"));
}

TEST_CASE("two shards merged equal the whole sweep", "[sweep]") {
  test::TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("g.toml", kGrid));
  SweepOptions whole;
  whole.quiet = true;
  run_sweep(plan, dir / "whole", whole);
  for (int shard : {1, 0}) {  // in either order
    SweepOptions o = whole;
    o.shard = shard;
    o.shards = 2;
    run_sweep(plan, dir / "sharded", o);
  }
  write_sweep_index(dir / "sharded");
  for (const SweepRun& run : plan.runs)
    CHECK(deaths_of(run_file(dir / "whole", run.index)) ==
          deaths_of(run_file(dir / "sharded", run.index)));
  std::ifstream index(dir / "sharded" / "index.csv");
  std::string text((std::istreambuf_iterator<char>(index)), {});
  CHECK(std::count(text.begin(), text.end(), '\n') == 7);
  CHECK(text.find(",missing,") == std::string::npos);
}

TEST_CASE("a killed sweep resumes to the results of an uninterrupted one", "[sweep][resume]") {
  test::TempDir dir;
  const fs::path plan_file = dir.write("g.toml", kGrid);
  const std::string cmd = std::string("'") + SARCOSIM_BINARY + "' sweep '" + plan_file.string() +
                          "' --jobs 1 --quiet -o '";
  // Start a sweep, kill it (SIGKILL: no clean-up possible) after its first run is written.
  const std::string killed = (dir / "killed").string();
  FILE* p = ::popen(("exec " + cmd + killed + "' > /dev/null 2>&1 & echo $!").c_str(), "r");
  int pid = 0;
  REQUIRE(std::fscanf(p, "%d", &pid) == 1);
  ::pclose(p);
  for (int k = 0; k < 600 && !fs::exists(run_file(killed, 0)); ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(pid, SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int finished = 0;
  for (int k = 0; k < 6; ++k)
    finished += fs::exists(run_file(killed, k));
  INFO("runs finished before the kill: " << finished);
  CHECK(finished < 6);
  // No half-written run file: every file present is a complete result.
  for (int k = 0; k < 6; ++k)
    if (fs::exists(run_file(killed, k))) CHECK_NOTHROW(deaths_of(run_file(killed, k)));
  // Rerun the same command: it finishes the rest.
  const auto resumed =
      test::run_cli("sweep '" + plan_file.string() + "' --quiet -o '" + killed + "'");
  INFO(resumed.out);
  CHECK(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Contains(std::to_string(finished) + " already done"));
  const auto whole = test::run_cli("sweep '" + plan_file.string() + "' --quiet -o '" +
                                   (dir / "whole").string() + "'");
  REQUIRE(whole.exit_code == 0);
  for (int k = 0; k < 6; ++k)
    CHECK(deaths_of(run_file(killed, k)) == deaths_of(run_file(dir / "whole", k)));
}

TEST_CASE("a failing run is recorded with its error and the sweep goes on", "[sweep]") {
  test::TempDir dir;
  const SweepPlan plan = load_sweep(
      dir.write("l.toml", sweep_text("method = \"list\"\n[[run]]\n\"falls.rate_70\" = 0.1\n"
                                     "[[run]]\n\"population.source\" = \"csv\"\n"
                                     "[[run]]\n\"falls.rate_70\" = 0.2\n")));
  SweepOptions o;
  o.quiet = true;
  const SweepReport r = run_sweep(plan, dir / "out", o);
  CHECK(r.done == 2);
  CHECK(r.failed == 1);
  write_sweep_index(dir / "out");
  std::ifstream index(dir / "out" / "index.csv");
  std::string text((std::istreambuf_iterator<char>(index)), {});
  CHECK_THAT(text,
             Contains("1,,csv,failed,\"population.source = \"\"csv\"\" needs population.csv"));
}

TEST_CASE("sweep --dry-run shows each list run's values under their parameters", "[sweep][cli]") {
  test::TempDir dir;
  // Runs that set different keys, the last in an order other than the columns'.
  const auto plan = dir.write(
      "l.toml", sweep_text("method = \"list\"\n[[run]]\n\"nutrition.protein_mean\" = 1.2\n"
                           "[[run]]\n\"activity.share_inactive_70\" = 0.5\n"
                           "[[run]]\n\"nutrition.protein_mean\" = 0.8\n"
                           "\"activity.share_inactive_70\" = 0.2\n"));
  const auto r = test::run_cli("sweep '" + plan.string() + "' --dry-run");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::vector<std::string> table;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("sweep ", 0) != 0) table.push_back(line);
  REQUIRE(table.size() == 4);
  CHECK(table[1] == "0    1.2                     (base)");
  CHECK(table[2] == "1    (base)                  0.5");
  CHECK(table[3] == "2    0.8                     0.2");
  // Each value starts where its parameter's name does.
  CHECK(table[0].find("activity.share_inactive_70") == table[2].find("0.5"));
}

TEST_CASE("sweep summarise names every outcome in full, over its column", "[sweep]") {
  test::TempDir dir;
  const SweepPlan plan = load_sweep(
      dir.write("l.toml", sweep_text("method = \"list\"\n[[run]]\n\"falls.rate_70\" = 0.1\n"
                                     "[[run]]\n\"nutrition.protein_mean\" = 1.2\n")));
  SweepOptions o;
  o.quiet = true;
  REQUIRE(run_sweep(plan, dir / "out", o).done == 2);
  write_sweep_index(dir / "out");
  std::ostringstream summary;
  print_sweep_summary(dir / "out", summary);
  INFO(summary.str());
  std::istringstream lines(summary.str());
  std::vector<std::string> table;  // the first parameter's table: header and two levels
  for (std::string line; std::getline(lines, line) && table.size() < 3;)
    if (line.rfind("  ", 0) == 0) table.push_back(line);
  REQUIRE(table.size() == 3);
  CHECK_THAT(table[0], Contains("  mortality_per_1000_py  sarcopenia_share_at_end  ") &&
                           Contains("  in_care_home_share_at_end"));
  CHECK_THAT(table[1], Contains("(base)"));   // the run that keeps the base scenario's value
  CHECK(table[1].size() == table[0].size());  // right-aligned under their names
  CHECK(table[2].size() == table[0].size());
}

TEST_CASE("partial rank correlation finds the parameter that matters", "[sweep]") {
  std::vector<std::vector<double>> x(2);
  std::vector<double> y;
  for (int k = 0; k < 50; ++k) {
    x[0].push_back(k);
    x[1].push_back((k * 37) % 50);   // unrelated to y
    y.push_back(std::exp(0.1 * k));  // monotone in x0 only
  }
  CHECK(partial_rank_correlation(x, 0, y) == Approx(1.0).margin(1e-9));
  CHECK(std::abs(partial_rank_correlation(x, 1, y)) < 0.2);
}

TEST_CASE("every sweep file shipped in scenarios/sweeps loads", "[sweep]") {
  int n = 0;
  for (const auto& entry :
       fs::directory_iterator(std::string(SARCOSIM_SOURCE_DIR) + "/scenarios/sweeps")) {
    INFO(entry.path());
    CHECK_NOTHROW(load_sweep(entry.path()));
    ++n;
  }
  CHECK(n >= 2);
}

TEST_CASE("resuming into a directory of a different sweep is refused", "[sweep][resume]") {
  test::TempDir dir;
  SweepOptions o;
  o.quiet = true;
  run_sweep(load_sweep(dir.write("g.toml", kGrid)), dir / "out", o);
  const SweepPlan other = load_sweep(dir.write("g.toml", kGrid), {0, 0, 3});  // 3 replicates, not 2
  CHECK_THROWS_WITH(run_sweep(other, dir / "out", o),
                    Contains("holds the runs of a different sweep"));
}

TEST_CASE("resuming after the base scenario changed is refused", "[sweep][resume]") {
  // The same sweep file, but its base now reads differently: runs of two models in one index.
  test::TempDir dir;
  SweepOptions o;
  o.quiet = true;
  const std::string base = std::string(SARCOSIM_SOURCE_DIR) + "/scenarios/baseline.toml";
  dir.write("base.toml", "base = \"" + base + "\"\n");
  const std::string text =
      "base = \"base.toml\"\nagents = 600\nyears = 0.5\nmethod = \"list\"\n"
      "[[run]]\n\"falls.rate_70\" = 0.1\n";
  run_sweep(load_sweep(dir.write("l.toml", text)), dir / "out", o);
  CHECK(fs::exists(dir / "out" / "base_scenario.toml"));
  CHECK_NOTHROW(run_sweep(load_sweep(dir.write("l.toml", text)), dir / "out", o));  // unchanged
  dir.write("base.toml", "base = \"" + base + "\"\n[hospital]\nadmission_rate_70 = 0.5\n");
  CHECK_THROWS_WITH(run_sweep(load_sweep(dir.write("l.toml", text)), dir / "out", o),
                    Contains("holds runs of this sweep with another base scenario"));
}

TEST_CASE("a run file damaged after the sweep is run again", "[sweep][resume]") {
  test::TempDir dir;
  SweepOptions o;
  o.quiet = true;
  const SweepPlan plan = load_sweep(
      dir.write("l.toml", sweep_text("method = \"list\"\n[[run]]\n\"falls.rate_70\" = 0.1\n"
                                     "[[run]]\n\"falls.rate_70\" = 0.2\n")));
  run_sweep(plan, dir / "out", o);
  // Runs are named "l/run_1": the files still compare (their resolved scenario is read back).
  CHECK_NOTHROW(
      compare(read_outcomes(run_file(dir / "out", 0)), read_outcomes(run_file(dir / "out", 1))));
  const std::vector<double> deaths = deaths_of(run_file(dir / "out", 1));
  fs::resize_file(run_file(dir / "out", 1), 1000);  // truncated, as by a full disk or a bad copy
  const SweepReport again = run_sweep(plan, dir / "out", o);
  CHECK(again.skipped == 1);
  CHECK(again.done == 1);
  CHECK(deaths_of(run_file(dir / "out", 1)) == deaths);
}
