// Runs every case of docs/bad_inputs.md: the documented exit code and one-line message, and no
// result file left behind. The table in the docs is the test's data, so the two cannot drift.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "sarcosim/io/h5.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

namespace {

void prepare(const test::TempDir& dir) {
  dir.write("syntax.toml", "[run]\nagents = \n");
  dir.write("typo.toml", "[run]\nagent = 10\n");
  dir.write("section.toml", "[musle]\nenabled = true\n");
  dir.write("toplevel.toml", "agents = 5\n");
  dir.write("range.toml", "[muscle]\nloss_rate_sd = -1\n");
  dir.write("type.toml", "[run]\nyears = \"ten\"\n");
  dir.write("fraction.toml", "[run]\nagents = 10.5\n");
  dir.write("choice.toml", "[demography]\nmortality = \"weibull\"\n");
  dir.write("nobase.toml", "base = \"missing.toml\"\n");
  dir.write("loop_a.toml", "base = \"loop_b.toml\"\n");
  dir.write("loop_b.toml", "base = \"loop_a.toml\"\n");
  dir.write("cohort.csv", "age,sex\n70,F\n71,X\n");
  dir.write("cohort.toml", "[population]\nsource = \"csv\"\ncsv = \"cohort.csv\"\n");
  dir.write("lt_half.csv", "age,qx_male,qx_female\n60.5,0.01,0.01\n61.5,0.01,0.01\n");
  dir.write("lt_half.toml", "[demography]\nlife_table_csv = \"lt_half.csv\"\n");
  dir.write("lt_negative.csv", "age,qx_male,qx_female\n-5,0.01,0.01\n-4,0.01,0.01\n");
  dir.write("lt_negative.toml", "[demography]\nlife_table_csv = \"lt_negative.csv\"\n");
  dir.write("ages_huge.csv", "age_lower,men,women\n60,1e308,1\n70,1e308,1\n");
  dir.write("ages_huge.toml", "[population]\nage_structure_csv = \"ages_huge.csv\"\n");
  dir.write("twice.csv", "age,sex,age\n70,F,80\n");
  dir.write("twice.toml", "[population]\nsource = \"csv\"\ncsv = \"twice.csv\"\n");
  dir.write("bom.csv",
            "\xEF\xBB\xBF"
            "age,sex\n70,F\n71,X\n");
  dir.write("bom.toml", "[population]\nsource = \"csv\"\ncsv = \"bom.csv\"\n");
  dir.write("present.h5", "x");
  dir.write("notes.txt", "not a result");
  dir.write("empty.h5", "");
  {
    h5::File f = h5::File::create((dir / "foreign.h5").string());
    f.root().create_group("data");
    f.close();
  }
  const std::string base = std::string(SARCOSIM_SOURCE_DIR) + "/scenarios/baseline.toml";
  dir.write("sweep_typo.toml", "base = \"" + base + "\"\n[parameters]\n\"falls.rate_7\" = [0.1]\n");
  dir.write("sweep_range.toml",
            "base = \"" + base + "\"\n[parameters]\n\"falls.rate_70\" = [0.1, 50]\n");
  dir.write("sweep_minmax.toml", "base = \"" + base +
                                     "\"\nmethod = \"lhs\"\nsamples = 4\n[parameters]\n"
                                     "\"falls.rate_70\" = {min = 0.1, max = 0.2, mx = 3}\n");
  dir.write("sweep_grid_runs.toml", "base = \"" + base +
                                        "\"\n[parameters]\n\"falls.rate_70\" = [0.1]\n"
                                        "[[run]]\n\"falls.rate_70\" = 0.2\n");
  std::string huge = "base = \"" + base + "\"\n[parameters]\n";
  for (const char* key :
       {"falls.rate_70", "population.height_loss_cm_per_year", "population.almi_sd_men",
        "population.almi_sd_women", "demography.gompertz_b_men", "demography.gompertz_b_women",
        "activity.share_inactive_70"})
    huge += "\"" + std::string(key) + "\" = [0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, " +
            "0.18, 0.19]\n";
  dir.write("sweep_huge.toml", huge);
  dir.write("sweep_ok.toml", "base = \"" + base + "\"\n[parameters]\n\"falls.rate_70\" = [0.1]\n");
  dir.write("sweep_two.toml",
            "base = \"" + base + "\"\n[parameters]\n\"falls.rate_70\" = [0.1, 0.2]\n");
  // Paths that exist but are not regular files: never read as empty, never replaced.
  REQUIRE(::mkfifo((dir / "fifo.h5").c_str(), 0644) == 0);
  std::filesystem::create_directories(dir / "adir");
  dir.write("dirbase.toml", "base = \"adir\"\n");
  std::filesystem::create_directories(dir / "fifosweep");
  dir.write("fifosweep/plan.csv", "# sweep\nrun,falls.rate_70\n0,0.1\n");
  REQUIRE(::mkfifo((dir / "fifosweep" / "index.csv").c_str(), 0644) == 0);
  std::filesystem::create_directories(dir / "fifock");
  REQUIRE(::mkfifo((dir / "fifock" / "baseline_day_000210.h5").c_str(), 0644) == 0);
  dir.write("escape.toml", "name = \"../escape\"\n");
  dir.write("slash.toml", "name = \"a/b\"\n");
  REQUIRE(test::run_cli("run scenarios/baseline.toml --agents 300 --years 0.1 --quiet -o " +
                        (dir / "a.h5").string())
              .exit_code == 0);
  REQUIRE(test::run_cli("run scenarios/baseline.toml --agents 400 --years 0.1 --quiet -o " +
                        (dir / "b.h5").string())
              .exit_code == 0);
  REQUIRE(test::run_cli("sweep " + (dir / "sweep_two.toml").string() +
                        " --agents 300 --years 0.1 --jobs 1 --quiet -o " + (dir / "sw").string())
              .exit_code == 0);
}

// A command ending in "> /dev/full" runs with its standard output there.
test::CliResult run_case(std::string args) {
  const std::string full = " > /dev/full";
  if (!args.ends_with(full)) return test::run_cli(args);
  args.resize(args.size() - full.size());
  test::CliPlace place;
  place.stdout_to = "/dev/full";
  return test::run_cli(args, place);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("every case of docs/bad_inputs.md gets its documented answer", "[cli][errors][docs]") {
  test::TempDir dir;
  prepare(dir);
  std::ifstream doc(std::string(SARCOSIM_SOURCE_DIR) + "/docs/bad_inputs.md");
  const std::regex row(R"(^\| (\d+) \| .* \| `(.*)` \| (\d) \| `(.*)` \|$)");
  std::string line;
  int cases = 0;
  while (std::getline(doc, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    ++cases;
    const std::string args = replace_all(m[2], "$DIR", dir.path().string());
    const std::string expected = replace_all(m[4], "$DIR", dir.path().string());
    const auto r = run_case(args);
    INFO("case " << m[1] << ": sarcosim " << args << "\n" << r.out);
    CHECK(r.exit_code == std::stoi(m[3]));
    CHECK_THAT(r.out, Contains(expected));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(dir / "r.h5"));
    CHECK_FALSE(std::filesystem::exists(dir / "s"));
  }
  CHECK(cases >= 30);
  CHECK(std::filesystem::is_fifo(dir / "fifo.h5"));  // refused, not replaced by a file
  CHECK(std::filesystem::is_fifo(dir / "fifosweep" / "index.csv"));
  CHECK(std::filesystem::is_fifo(dir / "fifock" / "baseline_day_000210.h5"));
}
