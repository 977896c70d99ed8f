// Checkpoints: a run stopped early (--stop-after, or SIGTERM as Slurm sends it before a time
// limit) and resumed gives the output of an uninterrupted run, bit for bit.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include "sarcosim/io/h5.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kRun = "run scenarios/baseline.toml --agents 3000 --years 2 --trace 5 --quiet";

// Every number of the series, snapshot, events and trace groups, in a fixed order.
std::vector<double> contents(const fs::path& file) {
  const h5::File f = h5::File::open_read(file.string());
  std::vector<double> all;
  for (const char* group : {"series", "snapshot", "events", "trace"}) {
    const h5::Group g = f.root().open_group(group);
    for (const auto& name : g.children()) {
      try {
        const auto v = g.read_doubles(name);
        all.insert(all.end(), v.begin(), v.end());
      } catch (const std::exception&) {
        // string datasets (names, labels) are not numbers
      }
    }
  }
  return all;
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

// True once process `pid` catches signal `sig` (its handler is installed).
bool catches(pid_t pid, int sig) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("SigCgt:", 0) == 0)
      return (std::stoull(line.substr(7), nullptr, 16) >> (sig - 1)) & 1;
  return false;
}

fs::path only_file(const fs::path& dir) {
  fs::path last;
  for (const auto& e : fs::directory_iterator(dir))
    last = std::max(last, e.path());
  return last;
}

}  // namespace

TEST_CASE("a run stopped with --stop-after and resumed equals an uninterrupted run",
          "[checkpoint]") {
  // With quiet days (the default) and with daily steps: neither keeps anything outside the
  // columns between periods.
  const std::string run =
      kRun + GENERATE(std::string(), std::string(" --set run.quiet_periods=false"));
  INFO(run);
  test::TempDir dir;
  REQUIRE(test::run_cli(run + " -o " + (dir / "full.h5").string()).exit_code == 0);
  const auto stopped =
      test::run_cli(run + " --checkpoint-every 0.5y --stop-after 1y --checkpoint-dir " +
                    (dir / "cp").string() + " -o " + (dir / "out.h5").string());
  INFO(stopped.out);
  CHECK(stopped.exit_code == 75);
  CHECK_THAT(stopped.out, Contains("continue with: sarcosim run --resume"));
  CHECK_FALSE(fs::exists(dir / "out.h5"));  // no partial result
  const fs::path cp = only_file(dir / "cp");
  const auto resumed =
      test::run_cli("run --resume " + cp.string() + " --quiet -o " + (dir / "out.h5").string());
  INFO(resumed.out);
  REQUIRE(resumed.exit_code == 0);
  CHECK(same(contents(dir / "full.h5"), contents(dir / "out.h5")));
}

TEST_CASE("SIGTERM with checkpoints on writes a checkpoint and stops with exit code 75",
          "[checkpoint][signals]") {
  test::TempDir dir;
  // About 1.2 s of work on the development machine, so that SIGTERM 200 ms after the handlers are
  // in arrives mid-run (2 years, 0.2 s since the model got faster, came too late).
  const std::string run = "run scenarios/baseline.toml --agents 20000 --years 20 --trace 5 --quiet";
  REQUIRE(test::run_cli(run + " -o " + (dir / "full.h5").string()).exit_code == 0);
  const fs::path cps = dir / "cp", out = dir / "out.h5";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::chdir(SARCOSIM_SOURCE_DIR);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(SARCOSIM_BINARY, SARCOSIM_BINARY, "run", "scenarios/baseline.toml", "--agents", "20000",
            "--years", "20", "--trace", "5", "--quiet", "--checkpoint-dir", cps.c_str(), "-o",
            out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int k = 0; k < 500 && !catches(pid, SIGTERM); ++k)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 75);  // stopped with a checkpoint (not finished, not killed)
  CHECK_FALSE(fs::exists(out));
  REQUIRE(fs::exists(cps));
  const auto resumed =
      test::run_cli("run --resume " + only_file(cps).string() + " --quiet -o " + out.string());
  INFO(resumed.out);
  REQUIRE(resumed.exit_code == 0);
  CHECK(same(contents(dir / "full.h5"), contents(out)));
}

TEST_CASE("a run resumed from another folder reads the files its scenario named", "[checkpoint]") {
  // The scenario names its cohort relative to itself; a file of the same relative name under the
  // folder the resume runs from must not be read instead.
  test::TempDir dir;
  fs::create_directories(dir / "sc");
  fs::create_directories(dir / "elsewhere" / "sc");
  std::string cohort = "age,sex\n", decoy = "age,sex\n";
  for (int k = 0; k < 300; ++k) {
    cohort += std::to_string(65 + k % 30) + (k % 2 ? ",M\n" : ",F\n");
    decoy += "66,F\n";
  }
  dir.write("sc/cohort.csv", cohort);
  dir.write("elsewhere/sc/cohort.csv", decoy);
  dir.write("sc/s.toml", "[population]\nsource = \"csv\"\ncsv = \"cohort.csv\"\n");
  test::CliPlace here;
  here.cwd = dir.path().string();
  const std::string run = "run sc/s.toml --years 1 --trace 5 --quiet";
  REQUIRE(test::run_cli(run + " -o full.h5", here).exit_code == 0);
  REQUIRE(test::run_cli(run + " --stop-after 0.5y --checkpoint-dir cp -o out.h5", here).exit_code ==
          75);
  test::CliPlace elsewhere;
  elsewhere.cwd = (dir / "elsewhere").string();
  const auto resumed = test::run_cli(
      "run --resume " + only_file(dir / "cp").string() + " --quiet -o ../out.h5", elsewhere);
  INFO(resumed.out);
  REQUIRE(resumed.exit_code == 0);
  CHECK(same(contents(dir / "full.h5"), contents(dir / "out.h5")));
}
