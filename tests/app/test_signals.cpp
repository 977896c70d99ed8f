// Interrupted runs: SIGINT, SIGTERM or SIGKILL at any moment leave either the complete result
// file or none at the output path; after SIGINT or SIGTERM no temporary file either.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "sarcosim/io/result_file.hpp"
#include "support.hpp"

using namespace sarcosim;
namespace fs = std::filesystem;

namespace {
// Starts a run (about a second of work and a write), sends `sig` after `delay_ms`, waits for it.
int run_and_signal(const fs::path& out, int sig, int delay_ms) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::chdir(SARCOSIM_SOURCE_DIR);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(SARCOSIM_BINARY, SARCOSIM_BINARY, "run", "scenarios/baseline.toml", "--agents", "20000",
            "--years", "3", "--quiet", "-o", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// A run's temporary file (OUT.h5.tmp-PID, named by the run's own process id).
bool is_temporary(const fs::path& p) {
  return p.filename().string().find(".tmp-") != std::string::npos;
}
int temporaries(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    n += is_temporary(e.path());
  return n;
}
}  // namespace

TEST_CASE("a run killed at any moment leaves the complete file or none", "[cli][signals]") {
  test::TempDir dir;
  int complete = 0, none = 0, n = 0;
  for (int sig : {SIGINT, SIGTERM, SIGKILL}) {
    for (int delay : {20, 120, 300, 500, 700, 900, 1100, 1300, 1600, 2200}) {
      const fs::path out = dir / ("r" + std::to_string(n++) + ".h5");
      const int status = run_and_signal(out, sig, delay);
      INFO("signal " << sig << " after " << delay << " ms: exit status " << status);
      if (fs::exists(out)) {
        CHECK_NOTHROW(read_result_info(out));  // complete, never partial
        ++complete;
      } else {
        ++none;
      }
      if (sig == SIGKILL) {
        // Nothing can clean up after SIGKILL: a run's temporary file may stay (never at the
        // output path). Removed here so that the other signals' checks see only their own.
        for (const auto& e : fs::directory_iterator(dir.path()))
          if (is_temporary(e.path())) fs::remove(e.path());
      } else {
        CHECK(temporaries(dir.path()) == 0);  // a caught signal cleans up
        if (!fs::exists(
                out))  // stopped cleanly (130), or killed before its handlers were installed
          CHECK(((WIFEXITED(status) && WEXITSTATUS(status) == 130) ||
                 (WIFSIGNALED(status) && WTERMSIG(status) == sig)));
      }
    }
  }
  INFO(complete << " runs finished, " << none << " left no file");
  CHECK(none > 0);  // the moments chosen do interrupt runs
}

TEST_CASE("a sweep stopped by a signal leaves whole runs or none, and the same command finishes it",
          "[cli][signals][sweep]") {
  test::TempDir dir;
  // Six runs of about a third of a second each, one at a time: a signal after 0.5 s lands
  // mid-sweep.
  const fs::path plan = dir.write(
      "s.toml", "base = \"" + std::string(SARCOSIM_SOURCE_DIR) +
                    "/scenarios/baseline.toml\"\nagents = 20000\nyears = 2\n[parameters]\n"
                    "\"falls.rate_70\" = [0.1, 0.12, 0.14, 0.16, 0.18, 0.2]\n");
  const fs::path out = dir / "out";
  for (int sig : {SIGINT, SIGTERM}) {
    fs::remove_all(out);
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::freopen("/dev/null", "w", stdout);
      std::freopen("/dev/null", "w", stderr);
      ::execl(SARCOSIM_BINARY, SARCOSIM_BINARY, "sweep", plan.c_str(), "--jobs", "1", "-o",
              out.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    INFO("signal " << sig << ": exit status " << status);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 130));
    // Runs finished before the signal are whole; the one in progress left nothing behind, and is
    // not recorded as failed.
    int whole = 0;
    for (const auto& e : fs::directory_iterator(out / "runs")) {
      CHECK_FALSE(is_temporary(e.path()));
      CHECK(e.path().extension() == ".h5");
      CHECK_NOTHROW(read_result_info(e.path()));
      ++whole;
    }
    CHECK(whole < 6);
    CHECK_FALSE(fs::exists(out / "index.csv"));
    const auto rest =
        test::run_cli("sweep '" + plan.string() + "' --jobs 1 --quiet -o '" + out.string() + "'");
    CHECK(rest.exit_code == 0);
    CHECK_THAT(rest.out, Catch::Matchers::Contains(std::to_string(whole) + " already done"));
  }
}
