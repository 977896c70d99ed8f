// `sarcosim sweep`: parameter sweeps on one machine, over MPI, or as Slurm array shards.
//   sarcosim sweep PLAN.toml -o DIR [--dry-run] [--agents N] [--years Y] [--replicates R]
//                  [--jobs J] [--threads T] [--shard I/N]
//   sarcosim sweep merge DIR       (re)build DIR/index.h5 and DIR/index.csv from the run files
//   sarcosim sweep summarise DIR   how each varied parameter moves the outcomes
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iomanip>
#include <iostream>

#include "cli.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/recording.hpp"
#include "sarcosim/core/text_table.hpp"
#include "sarcosim/sweep/mpi_runner.hpp"
#include "sarcosim/sweep/runner.hpp"
#include "sarcosim/sweep/summary.hpp"

namespace sarcosim::cli {
namespace {

std::atomic<bool> g_stop{false};

// The first SIGINT or SIGTERM lets the runs in progress stop at their next period, each removing
// its temporary file, and starts no new one (run_sweep then throws Interrupted: exit 130); a
// second exits at once. Under MPI, mpirun handles signals for all ranks.
extern "C" void on_sweep_signal(int) {
  if (g_stop.exchange(true)) ::_exit(kExitInterrupted);
}

// What --dry-run shows in a cell: the run's value, or "(base)" where the run keeps the base
// scenario's (a list's runs may each set other keys).
std::string shown_value(const SweepRun& run, const std::string& key) {
  const std::string value = run.value_of(key);
  return value.empty() ? "(base)" : value;
}

// The runs as a table: the run index, then each varied parameter's value.
void print_run_table(const SweepPlan& plan) {
  std::vector<TextRow> rows{{"run"}};
  rows[0].insert(rows[0].end(), plan.parameters.begin(), plan.parameters.end());
  for (const SweepRun& run : plan.runs) {
    rows.push_back({std::to_string(run.index)});
    for (const auto& key : plan.parameters)
      rows.back().push_back(shown_value(run, key));
  }
  print_table(rows, Align::Left, std::cout);
}

}  // namespace

int sweep_command(Args& args) {
  if (args.done())
    usage_error(
        "sweep: give a sweep file (sarcosim sweep PLAN.toml -o DIR), or merge DIR, or summarise "
        "DIR");
  const std::string first = args.next();
  // A word that is no file is a mistyped command ("sumarise"), not a sweep file to look for.
  if (first.find_first_of("./") == std::string::npos && !std::filesystem::exists(first) &&
      first != "merge" && first != "summarise" && first != "summarize")
    usage_error("sweep: '" + first +
                "' is neither a sweep file nor a command (merge DIR, summarise DIR)");
  if (first == "merge" || first == "summarise" || first == "summarize") {
    if (args.done()) usage_error("sweep " + first + ": give the sweep directory");
    const std::string dir = args.next();
    if (!std::filesystem::exists(std::filesystem::path(dir) / "plan.csv"))
      throw InputError(dir + ": not a sweep directory (no plan.csv)");
    if (first == "merge") {
      write_sweep_index(dir);
      std::cout << "index: " << (std::filesystem::path(dir) / "index.h5").string()
                << " and index.csv\n";
    } else {
      if (!std::filesystem::exists(std::filesystem::path(dir) / "index.csv"))
        write_sweep_index(dir);
      print_sweep_summary(dir, std::cout);
    }
    return 0;
  }
  SweepSizes sizes;
  SweepOptions options;
  std::string out, value;
  bool dry_run = false;
  while (!args.done()) {
    if (args.option("-o", out) || args.option("--output", out)) continue;
    if (args.flag("--dry-run")) {
      dry_run = true;
      continue;
    }
    if (args.flag("--quiet")) {
      options.quiet = true;
      continue;
    }
    if (args.option("--agents", value)) {
      sizes.agents = parse_integer("--agents", value, 1, 2000000000);
      continue;
    }
    if (args.option("--years", value)) {
      sizes.years = parse_real("--years", value, 1.0 / 365.25, kMaxRunYears);
      continue;
    }
    if (args.option("--replicates", value)) {
      sizes.replicates = static_cast<int>(parse_integer("--replicates", value, 1, 10000));
      continue;
    }
    if (args.option("--jobs", value)) {
      options.jobs = static_cast<int>(parse_integer("--jobs", value, 1, 4096));
      continue;
    }
    if (args.option("--threads", value)) {
      options.threads = static_cast<int>(parse_integer("--threads", value, 1, 1024));
      continue;
    }
    if (args.option("--shard", value)) {
      const auto slash = value.find('/');
      if (slash == std::string::npos)
        usage_error(
            "--shard: expected I/N, e.g. --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT");
      options.shards =
          static_cast<int>(parse_integer("--shard N", value.substr(slash + 1), 1, 1000000));
      options.shard = static_cast<int>(
          parse_integer("--shard I", value.substr(0, slash), 0, options.shards - 1));
      continue;
    }
    usage_error("sweep: unexpected argument '" + args.peek() + "'");
  }
  const SweepPlan plan = load_sweep(first, sizes);
  if (dry_run) {
    std::cout << "sweep '" << plan.name << "' (" << plan.method << "), base " << plan.base.string()
              << ": " << plan.runs.size() << " runs x " << plan.replicates
              << " replicates = " << plan.runs.size() * static_cast<std::size_t>(plan.replicates)
              << " simulations, " << std::setprecision(3) << plan.agent_days() << " agent-days\n";
    print_run_table(plan);
    return 0;
  }
  if (out.empty()) usage_error("sweep: give the output directory with -o DIR");
  if (mpi_world_size() == 1) {
    std::signal(SIGINT, on_sweep_signal);
    std::signal(SIGTERM, on_sweep_signal);
    options.stop = &g_stop;
  }
  const SweepReport r =
      mpi_world_size() > 1 ? run_sweep_mpi(plan, out, options) : run_sweep(plan, out, options);
  if (!is_mpi_worker()) {
    if (options.shards == 1) write_sweep_index(out);
    std::cout << "sweep '" << plan.name << "': " << r.done << " runs done, " << r.skipped
              << " already done, " << r.failed << " failed";
    if (options.shards > 1)
      std::cout << " (shard " << options.shard << "/" << options.shards
                << "; when all shards are done: sarcosim sweep merge " << out << ")";
    else
      std::cout << "\nindex: " << (std::filesystem::path(out) / "index.h5").string()
                << " and index.csv";
    std::cout << "\n";
  }
  return r.failed ? 5 : 0;
}

}  // namespace sarcosim::cli
