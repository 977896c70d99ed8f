// The benchmark: agent-days per second of the baseline scenario for several population sizes and
// thread counts, and peak resident memory per agent. Each configuration runs in its own child
// process so that its peak memory is its own. Not a test: timings never gate CTest. run_s includes
// writing the event log, which goes to the file as the run goes; write_s is the rest of the file.
//
//   build/tests/bench/sarcosim_bench [--agents 100000,1000000] [--threads 1,2] [--years 1]
//                                    [--scenario scenarios/baseline.toml] [--profile 1]
//                                    [--set run.quiet_periods=false] (--set repeats)
//                                    [--repeat 5]
// With --repeat N each configuration runs N times, one after the other, and the table gives the
// median of each time (this machine's speed drifts by 10-40 % from hour to hour), the best rate
// with output, and the largest peak memory. Agent-days are people x days, as the targets count
// them; lived_% is the share of them on which the person was alive: about 98 % over one year, 46 %
// over thirty (the baseline is aged 60+, and a dead person costs next to nothing), so rates over
// long runs are not comparable with one-year rates without it.
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sarcosim/core/malloc_reuse.hpp"
#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/result_file.hpp"

using namespace sarcosim;

namespace {

// The number an option gives, at least `lowest`; an error naming the option and the range if not.
double number_of(const std::string& option, const std::string& text, double lowest) {
  std::size_t used = 0;
  double x = 0;
  try {
    x = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !(x >= lowest))
    throw std::invalid_argument(option + " = '" + text + "': expected a number >= " +
                                std::to_string(static_cast<long>(lowest)));
  return x;
}

// A comma-separated list of whole numbers (1e6 allowed), each at least 1.
std::vector<long> parse_list(const std::string& option, const std::string& s) {
  std::vector<long> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    out.push_back(static_cast<long>(number_of(option, item, 1)));
  return out;
}

struct Timing {
  double run_s, write_s;
  double lived_days;  // agent-days on which the person was alive (the dead cost next to nothing)
};

// One run with per-module timers: where the time goes.
std::vector<std::string> overrides(long agents, double years, std::vector<std::string> set) {
  set.push_back("run.agents=" + std::to_string(agents));
  set.push_back("run.years=" + std::to_string(years));
  return set;
}

void profile(const std::string& scenario, long agents, double years,
             const std::vector<std::string>& set) {
  const Scenario sc = load_scenario(scenario, overrides(agents, years, set));
  RunOptions opt;
  opt.threads = 1;
  opt.profile = true;
  const RunResult run = run_simulation(sc, opt);
  double total = 0, by_phase[kPhases] = {};
  for (const auto& m : run.module_seconds) {
    total += m.total();
    for (int ph = 0; ph < kPhases; ++ph)
      by_phase[ph] += m.phase[ph];
  }
  std::printf(
      "\nwhere the time goes (%ld agents, 1 thread, %.2f s wall: %.2f s set-up and synthesis, "
      "%.2f s in modules, %.2f s asking modules about busy people for the last table below; "
      "the rest is the loop's own work (splitting busy from quiet, merging each day's busy, "
      "deaths, tallies, the event log) and what profiling costs besides: the timers, and caches "
      "the asking disturbs, so shares mean more than seconds here):\n",
      agents, run.wall_seconds, run.setup_seconds, total, run.probe_seconds);
  std::printf("  %-18s %8s %6s", "module", "seconds", "share");
  for (const char* phase : kPhaseNames)
    std::printf(" %11s", phase);
  std::printf("\n");
  auto sorted = run.module_seconds;
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.total() > b.total(); });
  auto row = [&](const char* name, double s, const double(&phase)[kPhases]) {
    std::printf("  %-18s %8.3f %5.1f%%", name, s, 100 * s / total);
    for (const double t : phase)
      std::printf(" %10.1f%%", 100 * t / total);
    std::printf("\n");
  };
  for (const auto& m : sorted)
    if (m.total() > 0.005 * total) row(m.module.c_str(), m.total(), m.phase);
  row("all", total, by_phase);
  std::size_t sparse = 0;
  for (const auto& col : run.population.columns())
    sparse += col.sparse != nullptr;
  std::printf(
      "\nstate: %zu columns (%zu sparse: a bit a person and their few values), %zu bytes per "
      "agent; event log: %.1f bytes per agent\n",
      run.population.columns().size(), sparse, run.population.bytes_per_agent(),
      static_cast<double>(run.events.size() * sizeof(Event)) / static_cast<double>(agents));
  std::printf(
      "\nbusy (stepped daily): %.1f %% of agent-days; at period starts, marked busy to the "
      "period's end first by (most go quiet again after days):\n",
      100 * run.busy_agent_days / std::max(1.0, run.agent_days));
  for (const auto& [name, n] : run.module_busy)
    if (n > 0)
      std::printf("  %-30s %5.1f %%\n", name.c_str(), 100 * n / std::max(1.0, run.agent_days));
  // Each module asked on its own, each day, about the day's busy people: what a module stepping
  // only the busy people it needs would spare of its busy steps (before their quiet days' cost).
  std::printf(
      "\nbusy agent-days with a day of the period left: %.0f; after each, the share that a "
      "module on its own would leave quiet the next day, and its busy steps' seconds times that "
      "share (modules with under 0.5 %% of the busy steps left out of the list, not the sum):\n",
      run.busy_probed);
  double spared = 0;
  for (std::size_t k = 0; k < run.module_alone_quiet.size(); ++k) {
    const double share = run.module_alone_quiet[k].second / std::max(1.0, run.busy_probed);
    const double s = run.module_seconds[k].phase[kStepPhase] * share;
    spared += s;
    if (run.module_seconds[k].phase[kStepPhase] < 0.005 * by_phase[kStepPhase]) continue;
    std::printf("  %-18s %5.1f %%  %6.3f s of %6.3f s\n", run.module_alone_quiet[k].first.c_str(),
                100 * share, s, run.module_seconds[k].phase[kStepPhase]);
  }
  std::printf("  %-18s %15.3f s of %6.3f s\n", "all", spared, by_phase[kStepPhase]);
}

// Runs one configuration in this (child) process and returns its timings.
Timing measure(const std::string& scenario, long agents, long threads, double years,
               const std::vector<std::string>& set) {
  const Scenario sc = load_scenario(scenario, overrides(agents, years, set));
  const auto out = std::filesystem::temp_directory_path() /
                   ("sarcosim-bench-" + std::to_string(::getpid()) + ".h5");
  // As `sarcosim run` does: the event log goes to the file as the run goes (in run_s).
  ResultWriter writer(out, sc);
  RunOptions opt;
  opt.threads = static_cast<int>(threads);
  opt.event_sink = writer.event_sink();
  const RunResult run = run_simulation(sc, opt);
  const auto t0 = std::chrono::steady_clock::now();
  writer.finish({&run}, {"sarcosim_bench", ""});
  const double write_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::filesystem::remove(out);
  return {run.wall_seconds, write_s, run.agent_days};
}

struct Measured {
  Timing timing;
  double peak_bytes;
};

// One configuration in a child process (so that its peak memory is its own): its timings and
// peak resident memory, or nothing if it failed (the child has said why on stderr).
std::optional<Measured> measure_in_child(const std::string& scenario, long agents, long threads,
                                         double years, const std::vector<std::string>& set) {
  int fd[2];
  if (::pipe(fd) != 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fd[0]);
    Timing tm{};
    try {
      tm = measure(scenario, agents, threads, years, set);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sarcosim_bench: %s\n", e.what());
      ::_exit(1);
    }
    if (::write(fd[1], &tm, sizeof tm) != sizeof tm) ::_exit(1);
    ::_exit(0);
  }
  ::close(fd[1]);
  Timing tm{};
  const bool ok = ::read(fd[0], &tm, sizeof tm) == sizeof tm;
  ::close(fd[0]);
  int status = 0;
  rusage ru{};
  ::wait4(pid, &status, 0, &ru);
  if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return Measured{tm, static_cast<double>(ru.ru_maxrss) * 1024.0};
}

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const std::size_t k = x.size() / 2;
  return x.size() % 2 ? x[k] : (x[k - 1] + x[k]) / 2;
}

// Which machine the figures come from. The name alone is not enough: "AMD EPYC" has named two
// machines here whose speed differs by half (a Zen 4 with AVX-512, a Zen 3 without), so the
// family, model and the widest vector path the kernels take are printed too.
std::string machine_description() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, name, family, model;
  while (std::getline(cpuinfo, line)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1),
                      value = line.substr(std::min(line.size(), colon + 2));
    std::string* field = key == "model name"   ? &name
                         : key == "cpu family" ? &family
                         : key == "model"      ? &model
                                               : nullptr;
    if (field && field->empty()) *field = value;
  }
  std::string vector = "no x86 vector dispatch";
#if defined(__x86_64__) && defined(__GNUC__)
  vector = __builtin_cpu_supports("avx512f") ? "AVX-512"
           : __builtin_cpu_supports("avx2")  ? "AVX2 (no AVX-512)"
                                             : "SSE2 (no AVX2)";
#endif
  utsname u{};
  uname(&u);
  return (name.empty() ? "unknown CPU" : name) + " (family " + (family.empty() ? "?" : family) +
         ", model " + (model.empty() ? "?" : model) + "), " +
         std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " CPUs, " + u.sysname + " " + u.release +
         ", vector kernels: " + vector;
}

int bench(int argc, char** argv) {
  std::vector<long> agents = {100000, 1000000}, threads = {1, 2};
  double years = 1;
  std::string scenario = "scenarios/baseline.toml";
  bool want_profile = false;
  long repeat = 1;
  std::vector<std::string> set;
  for (int i = 1; i < argc; i += 2) {
    const std::string a = argv[i];
    if (i + 1 == argc) throw std::invalid_argument("option " + a + " needs a value");
    const std::string v = argv[i + 1];
    if (a == "--agents")
      agents = parse_list(a, v);
    else if (a == "--threads")
      threads = parse_list(a, v);
    else if (a == "--years") {
      years = number_of(a, v, 0);
      if (std::round(years * kDaysPerYear) < 1)  // as run.years allows: a day at least
        throw std::invalid_argument(a + " = '" + v + "': expected at least one day (0.0027 years)");
    } else if (a == "--scenario")
      scenario = v;
    else if (a == "--set")
      set.push_back(v);
    else if (a == "--profile")
      want_profile = v == "1" || v == "yes";
    else if (a == "--repeat")
      repeat = static_cast<long>(number_of(a, v, 1));
    else {
      throw std::invalid_argument(
          "unknown option " + a +
          " (--agents, --threads, --years, --scenario, --set, --profile, --repeat)");
    }
  }
  // A bad scenario, key or value fails here, once, with the loader's message (not in each child).
  bool failed = false;
  for (const long n : agents)
    load_scenario(scenario, overrides(n, years, set));
  std::printf("machine: %s\n", machine_description().c_str());
  std::printf("%10s %8s %10s %10s %14s %14s %12s%s %8s\n", "agents", "threads", "run_s", "write_s",
              "Magentdays/s", "incl_output", "bytes/agent", repeat > 1 ? "  best_incl_output" : "",
              "lived_%");
  for (long n : agents) {
    for (long t : threads) {
      std::vector<double> run_s, write_s;
      double peak_bytes = 0, lived_days = 0;
      const double agent_days = static_cast<double>(n) * std::round(years * kDaysPerYear);
      for (long r = 0; r < repeat; ++r) {
        const std::optional<Measured> m = measure_in_child(scenario, n, t, years, set);
        if (!m) break;
        run_s.push_back(m->timing.run_s);
        write_s.push_back(m->timing.write_s);
        peak_bytes = std::max(peak_bytes, m->peak_bytes);
        lived_days = m->timing.lived_days;  // the same in every repeat: a function of the seed
      }
      if (static_cast<long>(run_s.size()) != repeat) {
        std::printf("%10ld %8ld   failed\n", n, t);
        failed = true;
        continue;
      }
      const double run = median(run_s), write = median(write_s);
      std::printf("%10ld %8ld %10.3f %10.3f %14.1f %14.1f %12.1f", n, t, run, write,
                  agent_days / run / 1e6, agent_days / (run + write) / 1e6,
                  peak_bytes / static_cast<double>(n));
      if (repeat > 1) {
        double fastest = run_s[0] + write_s[0];
        for (std::size_t k = 1; k < run_s.size(); ++k)
          fastest = std::min(fastest, run_s[k] + write_s[k]);
        std::printf("  %16.1f", agent_days / fastest / 1e6);
      }
      std::printf(" %8.1f\n", 100 * lived_days / agent_days);
      std::fflush(stdout);
    }
  }
  if (want_profile) profile(scenario, agents.front(), years, set);
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory_for_reuse();  // as the program does
  try {
    return bench(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sarcosim_bench: %s\n", e.what());
    return 2;
  }
}
