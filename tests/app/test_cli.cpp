// End-to-end tests of the sarcosim program: a run, `info`, `params`, and every bad input the
// foundation promises a one-line error for (exit code 2 or 3, nothing written).
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

namespace {
int lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// The lines of `text` after the line that starts with `title`, up to the first line not indented
// by two spaces.
std::vector<std::string> indented_block(const std::string& text, const std::string& title) {
  std::istringstream in(text.substr(text.find('\n', text.find(title)) + 1));
  std::vector<std::string> block;
  for (std::string line; std::getline(in, line) && line.rfind("  ", 0) == 0;)
    block.push_back(line);
  return block;
}

// Where the values start and end on "  name   value [unit]" lines, and whether at least two
// spaces part every name from its value.
struct ValueColumns {
  std::set<std::size_t> starts, ends;
  bool separated = true;
};
ValueColumns value_columns(const std::vector<std::string>& block) {
  static const std::regex name_then_value("  [a-z0-9_]+  +\\S.*");
  ValueColumns columns;
  for (const auto& line : block) {
    columns.separated = columns.separated && std::regex_match(line, name_then_value);
    const auto start = line.find_first_not_of(' ', line.find(' ', 2));
    columns.starts.insert(start);
    columns.ends.insert(std::min(line.find(' ', start), line.size()));
  }
  return columns;
}

}  // namespace

TEST_CASE("run, then info, on the baseline scenario", "[cli]") {
  test::TempDir dir;
  const auto out = (dir / "base.h5").string();
  const auto r = test::run_cli("run scenarios/baseline.toml -o " + out +
                               " --agents 3000 --years 1 --seed 4 --threads 2 --quiet");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "result: " + out + "\n");  // --quiet: the file's name, nothing else
  const auto info = test::run_cli("info " + out);
  REQUIRE(info.exit_code == 0);
  CHECK_THAT(info.out, Contains("scenario_name         baseline") &&
                           Contains("seed                  4") && Contains("mean_alm_kg") &&
                           Contains("git_commit"));
}

TEST_CASE("run and info line up headline figures after their longest name", "[cli]") {
  test::TempDir dir;
  const auto out = (dir / "base.h5").string();
  const auto run =
      test::run_cli("run scenarios/baseline.toml --agents 500 --years 0.2 --threads 1 -o " + out);
  REQUIRE(run.exit_code == 0);
  INFO(run.out);
  CHECK_THAT(run.out,
             Contains("500 agents") && Contains("alive_at_end") && Contains("result: " + out));
  const auto ran = indented_block(run.out, "  ran in");
  CHECK(ran.size() > 50);
  CHECK(value_columns(ran).separated);
  CHECK(value_columns(ran).ends.size() == 1);  // numbers right-aligned, then their units
  const auto info = test::run_cli("info " + out);
  REQUIRE(info.exit_code == 0);
  INFO(info.out);
  const auto headlines = indented_block(info.out, "headline figures:");
  CHECK(headlines.size() == ran.size());
  CHECK(value_columns(headlines).separated);
  CHECK(value_columns(headlines).starts.size() == 1);               // stored values, as text
  const auto about = value_columns(indented_block(info.out, out));  // seed, sizes, version...
  CHECK(about.separated);
  CHECK(about.starts.size() == 1);
}

TEST_CASE("params lists every parameter with unit, range and source", "[cli]") {
  const auto r = test::run_cli("params muscle");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("muscle.alm_loss_rate_men = 0.0038 1/yr") && Contains("[0, 0.1]") &&
                        Contains("Mitchell 2012"));
  const auto bad = test::run_cli("params musle");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.out, Contains("unknown section 'musle'"));
}

TEST_CASE("bad input: one line naming the problem, exit 2 or 3, no result file", "[cli][errors]") {
  test::TempDir dir;
  const auto out = (dir / "r.h5").string();
  const auto bad_toml = dir.write("bad.toml", "[run]\nagents = \n").string();
  const auto typo = dir.write("typo.toml", "[run]\nagent = 10\n").string();
  const auto range = dir.write("range.toml", "[muscle]\nloss_rate_sd = -1\n").string();
  const auto type = dir.write("type.toml", "[run]\nyears = \"ten\"\n").string();
  const auto present = dir.write("present.h5", "x").string();

  struct Case {
    std::string args;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"run " + (dir / "none.toml").string() + " -o " + out, 2, "scenario file not found"},
      {"run " + bad_toml + " -o " + out, 2, "bad.toml:2: TOML syntax error"},
      {"run " + typo + " -o " + out, 2, "did you mean 'run.agents'"},
      {"run " + range + " -o " + out, 2,
       "muscle.loss_rate_sd = -1 is outside the allowed range [0, 2]"},
      {"run " + type + " -o " + out, 2, "wrong type for run.years"},
      {"run scenarios/baseline.toml --agents 0 -o " + out, 2,
       "--agents: 0 is outside the allowed range"},
      {"run scenarios/baseline.toml --agents -5 -o " + out, 2,
       "--agents: -5 is outside the allowed range"},
      {"run scenarios/baseline.toml --agents many -o " + out, 2,
       "--agents: 'many' is not a whole number"},
      {"run scenarios/baseline.toml --years 0 -o " + out, 2, "--years: 0 is outside"},
      {"run scenarios/baseline.toml --threads x -o " + out, 2,
       "--threads: 'x' is not a whole number"},
      {"run scenarios/baseline.toml --set muscle.enabld=true -o " + out, 2,
       "did you mean 'muscle.enabled'"},
      {"run scenarios/baseline.toml --bogus -o " + out, 2, "unknown option '--bogus'"},
      {"run scenarios/baseline.toml -o " + (dir / "no/dir/r.h5").string(), 2, "does not exist"},
      {"run scenarios/baseline.toml -o /proc/sarcosim-r.h5", 3, "cannot write in directory"},
      {"run scenarios/baseline.toml -o " + present, 2, "already present (use --force"},
      {"run", 2, "no scenario file given"},
      {"frobnicate", 2, "unknown command 'frobnicate'"},
      {"info " + (dir / "none.h5").string(), 2, "result file not found"},
      {"info " + bad_toml, 3, "not an HDF5 file"},
  };
  for (const Case& c : cases) {
    const auto r = test::run_cli(c.args);
    INFO("sarcosim " << c.args << "\n" << r.out);
    CHECK(r.exit_code == c.exit_code);
    CHECK_THAT(r.out, Contains(c.message));
    CHECK(lines(r.out) == 1);
    CHECK_FALSE(std::filesystem::exists(out));
  }
}

TEST_CASE("run with --force replaces an existing result", "[cli]") {
  test::TempDir dir;
  const auto out = dir.write("r.h5", "old").string();
  const auto r = test::run_cli(
      "run scenarios/baseline.toml --agents 200 --years 0.1 --quiet --force -o " + out);
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::file_size(out) > 1000);
}

TEST_CASE("compare prints a table, CSV and JSON, and refuses bad files", "[cli][compare]") {
  test::TempDir dir;
  const auto base = (dir / "b.h5").string(), other = (dir / "o.h5").string();
  REQUIRE(
      test::run_cli(
          "run scenarios/baseline.toml --agents 1000 --years 1 --replicates 3 --quiet -o " + base)
          .exit_code == 0);
  REQUIRE(test::run_cli(
              "run scenarios/interventions/fall_prevention_exercise.toml --agents 1000 --years 1 "
              "--replicates 3 --quiet -o " +
              other)
              .exit_code == 0);
  const auto table = test::run_cli("compare " + base + " " + other);
  INFO(table.out);
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Contains("fall_prevention_exercise vs baseline") &&
                            Contains("falls (falls)") && Contains("95% interval") &&
                            Contains("incremental cost per QALY"));
  const auto csv = test::run_cli("compare " + base + " " + other + " --csv");
  CHECK_THAT(csv.out, Contains("baseline,scenario,outcome,unit") &&
                          Contains("baseline,fall_prevention_exercise,falls,falls,"));
  const auto json = test::run_cli("compare " + base + " " + other + " --json");
  CHECK_THAT(json.out, Contains("\"comparisons\": [{\"scenario\": \"fall_prevention_exercise\""));
  // The same scenario again with other seeds: each comparison is titled by its file's name.
  const auto reseeded = (dir / "o_seed_9.h5").string();
  REQUIRE(test::run_cli(
              "run scenarios/interventions/fall_prevention_exercise.toml --agents 1000 --years 1 "
              "--replicates 3 --seed 9 --quiet -o " +
              reseeded)
              .exit_code == 0);
  const auto both = test::run_cli("compare " + base + " " + other + " " + reseeded);
  INFO(both.out);
  CHECK_THAT(both.out, Contains("\no vs baseline\n") && Contains("\no_seed_9 vs baseline\n"));
  const auto bad = test::run_cli("compare " + base + " " + dir.write("x.txt", "x").string());
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.out, Contains("not an HDF5 file"));
  const auto one = test::run_cli("compare " + base);
  CHECK(one.exit_code == 2);
  CHECK_THAT(one.out, Contains("at least one other"));
}
