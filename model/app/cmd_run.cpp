// `sarcosim run`: one scenario, one result file.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/memory.hpp"
#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/core/text_table.hpp"
#include "sarcosim/core/version.hpp"
#include "sarcosim/io/checkpoint_file.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_checkpoint_now{false};
bool g_checkpoint_on_term = false;
char g_temp_path[4096] = {0};

// With checkpoints on, SIGTERM (what Slurm sends before a time limit) asks for a checkpoint at the
// end of the current period and a clean stop. Otherwise the first signal asks the loop to stop at
// the next period (it throws Interrupted and nothing is written); a second signal removes the
// temporary file if one is being written, and exits now.
extern "C" void on_signal(int sig) {
  if (sig == SIGTERM && g_checkpoint_on_term && !g_checkpoint_now.exchange(true)) return;
  if (g_stop.exchange(true)) {
    if (g_temp_path[0]) ::unlink(g_temp_path);
    ::_exit(kExitInterrupted);
  }
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// "2y" (years), "180d" (days), or a plain number of days.
std::int32_t parse_duration(const std::string& arg, const std::string& text) {
  if (text.empty()) usage_error(arg + ": empty; use e.g. 1y or 180d");
  const char unit = text.back();
  const bool years = unit == 'y', days = unit == 'd';
  const std::string number = (years || days) ? text.substr(0, text.size() - 1) : text;
  const double x = parse_real(arg + " (" + text + ")", number, 1e-9,
                              years ? kMaxRunYears : kMaxRunYears * kDaysPerYear);
  const double d = years ? x * kDaysPerYear : x;
  if (d < 1) usage_error(arg + ": " + text + " is shorter than a day");
  return static_cast<std::int32_t>(std::llround(d));
}

// One line per figure: its name, its value lined up after the longest name, and its unit.
void print_headlines(const std::vector<Headline>& headlines) {
  std::vector<std::string> names;
  for (const Headline& h : headlines)
    names.push_back(h.name);
  const auto width = static_cast<int>(name_column_width(names));
  for (const Headline& h : headlines) {
    std::cout << "  " << std::left << std::setw(width) << h.name << std::right << std::setw(12)
              << std::setprecision(6) << h.value;
    if (!h.unit.empty()) std::cout << "  " << h.unit;
    std::cout << "\n";
  }
}

// What ran, how fast, and its headline figures (means over replicates).
void print_run_report(const Scenario& scenario, const std::vector<RunResult>& runs) {
  const RunResult& run = runs.front();
  const int replicates = static_cast<int>(runs.size());
  double wall = 0;
  for (const RunResult& r : runs)
    wall += r.wall_seconds;
  const double agent_days = static_cast<double>(run.agents) * run.days * replicates;
  std::cout << "sarcosim " << version() << ": scenario '" << scenario.name << "', " << run.agents
            << " agents, " << std::setprecision(4) << run.days / kDaysPerYear << " years, seed "
            << run.seed;
  if (replicates > 1) std::cout << " (+" << replicates - 1 << " replicates)";
  std::cout << ", " << run.threads << " threads\n";
  std::cout << "  ran in " << std::setprecision(3) << wall << " s (" << std::setprecision(3)
            << agent_days / wall / 1e6 << " million agent-days/s)\n";
  if (replicates > 1)
    std::cout << "  headline figures are means over " << replicates << " replicates\n";
  print_headlines(headline_figures(runs));
}

}  // namespace

int run_command(Args& args, const std::string& command_line) {
  std::signal(SIGINT, on_signal);  // first: a signal during start-up is handled like any other
  std::signal(SIGTERM, on_signal);
  std::string scenario_file, out, value;
  std::vector<std::string> overrides;
  int threads = 0, replicates = 1;
  std::int32_t checkpoint_every = 0, stop_after = 0;
  std::string checkpoint_dir, resume;
  bool force = false, quiet = false, out_given = false, replicates_given = false;
  while (!args.done()) {
    if (args.option("-o", out) || args.option("--output", out)) {
      // An empty -o "" (an unset shell variable) is a mistake, not a request for the default.
      if (out.empty()) usage_error("-o: the output path is empty; give a file name");
      out_given = true;
      continue;
    }
    if (args.option("--agents", value)) {
      overrides.push_back("run.agents=" +
                          std::to_string(parse_integer("--agents", value, 1, 2000000000)));
      continue;
    }
    if (args.option("--years", value)) {
      parse_real("--years", value, 1.0 / 365.25, kMaxRunYears);
      overrides.push_back("run.years=" + value);
      continue;
    }
    if (args.option("--seed", value)) {
      overrides.push_back("run.seed=" +
                          std::to_string(parse_integer("--seed", value, 0, 9007199254740992LL)));
      continue;
    }
    if (args.option("--trace", value)) {
      overrides.push_back("output.trace=" +
                          std::to_string(parse_integer("--trace", value, 0, 2000)));
      continue;
    }
    if (args.option("--checkpoint-every", value)) {
      checkpoint_every = parse_duration("--checkpoint-every", value);
      continue;
    }
    if (args.option("--stop-after", value)) {
      stop_after = parse_duration("--stop-after", value);
      continue;
    }
    if (args.option("--checkpoint-dir", checkpoint_dir)) continue;
    if (args.option("--resume", resume)) continue;
    if (args.option("--replicates", value)) {
      replicates = static_cast<int>(parse_integer("--replicates", value, 1, 10000));
      replicates_given = true;
      continue;
    }
    if (args.option("--threads", value)) {
      threads = static_cast<int>(parse_integer("--threads", value, 1, 1024));
      continue;
    }
    if (args.option("--set", value)) {
      overrides.push_back(value);
      continue;
    }
    if (args.flag("--force")) {
      force = true;
      continue;
    }
    if (args.flag("--quiet") || args.flag("-q")) {
      quiet = true;
      continue;
    }
    const std::string a = args.next();
    if (a.rfind("-", 0) == 0) usage_error("run: unknown option '" + a + "' (sarcosim --help)");
    if (!scenario_file.empty()) usage_error("run: more than one scenario file given ('" + a + "')");
    scenario_file = a;
  }
  LoadedCheckpoint loaded;
  Scenario scenario;
  if (!resume.empty()) {
    if (!scenario_file.empty() || !overrides.empty())
      usage_error(
          "--resume: give no scenario file, --set or size options; the checkpoint holds its "
          "scenario");
    if (replicates_given)
      usage_error("--resume: give no --replicates; a checkpoint continues its one run");
    loaded = read_checkpoint_file(resume);
    scenario = loaded.scenario;
  } else {
    if (scenario_file.empty())
      usage_error("run: no scenario file given (sarcosim run SCENARIO.toml)");
    scenario = load_scenario(scenario_file, overrides);
  }
  const bool checkpoints = checkpoint_every > 0 || stop_after > 0 || !checkpoint_dir.empty();
  if (checkpoints) {
    if (checkpoint_dir.empty())
      usage_error("--checkpoint-every and --stop-after need --checkpoint-dir DIR");
    if (replicates > 1)
      usage_error(
          "--replicates: checkpoints work with one replicate (run replicates as separate runs)");
    std::error_code ec;
    std::filesystem::create_directories(checkpoint_dir, ec);
    if (ec)
      throw IoError("--checkpoint-dir " + checkpoint_dir + ": cannot create: " + ec.message());
    g_checkpoint_on_term = true;
  }
  check_replicate_seeds(scenario, replicates);
  if (!out_given) out = "output/" + scenario.name + ".h5";
  check_output_path(out, force);
  check_memory(scenario, /*events_held=*/checkpoints);

  const std::string tmp = temporary_path_for(out).string();
  if (tmp.size() < sizeof g_temp_path) std::strcpy(g_temp_path, tmp.c_str());

  RunOptions options;
  options.threads = threads;
  options.stop = &g_stop;
  if (!quiet && ::isatty(STDERR_FILENO)) {
    options.progress = [](double done) {
      std::cerr << "\r  running: " << std::setw(3) << static_cast<int>(done * 100) << " %"
                << std::flush;
      if (done >= 1) std::cerr << "\r                    \r";
    };
  }
  std::string last_checkpoint;
  if (checkpoints) {
    options.checkpoint_every_days = checkpoint_every;
    options.stop_after_days = stop_after;
    options.checkpoint_now = &g_checkpoint_now;
    options.write_checkpoint = [&](const CheckpointView& cp, std::int32_t day) {
      std::ostringstream name;
      name << scenario.name << "_day_" << std::setw(6) << std::setfill('0') << day << ".h5";
      const auto path = std::filesystem::path(checkpoint_dir) / name.str();
      write_checkpoint_file(path, scenario, cp, day);
      last_checkpoint = path.string();
      if (!quiet) std::cerr << "checkpoint: " << last_checkpoint << "\n";
    };
  }
  if (!resume.empty()) options.resume = &loaded.data;
  // Without checkpoints (which save the log so far) the event log goes to the file as the run
  // goes, never held whole.
  std::optional<ResultWriter> writer;
  if (!checkpoints) {
    writer.emplace(out, scenario);
    options.event_sink = writer->event_sink();
  }
  std::vector<RunResult> runs;
  try {
    if (checkpoints || !resume.empty())
      runs.push_back(run_simulation(scenario, options));
    else
      runs = run_replicates(scenario, replicates, options);
  } catch (const Stopped& e) {
    std::cerr << "sarcosim: " << e.what() << "; checkpoint " << last_checkpoint
              << "; continue with: sarcosim run --resume " << last_checkpoint << " -o " << out
              << "\n";
    return kExitStopped;
  }
  if (g_stop.load()) throw Interrupted("run stopped by a signal; no result file written");
  if (!writer) writer.emplace(out, scenario);
  writer->finish(runs, {command_line, utc_now()});

  if (!quiet) print_run_report(scenario, runs);
  std::cout << "result: " << out << "\n";
  return kExitOk;
}

}  // namespace sarcosim::cli
