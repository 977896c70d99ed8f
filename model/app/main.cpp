// sarcosim: the command-line program. It parses arguments and calls the library; no model logic
// lives here.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/malloc_reuse.hpp"
#include "sarcosim/core/version.hpp"

namespace {

constexpr const char* kUsage =
    R"(sarcosim: an agent-based model of sarcopenia, disuse atrophy, falls and fractures

usage:
  sarcosim run SCENARIO.toml [-o OUT.h5] [--agents N] [--years Y] [--seed S] [--threads T]
                             [--replicates R] [--trace N]
                             [--set section.key=value ...] [--force] [--quiet]
                             [--checkpoint-every 1y --checkpoint-dir DIR] [--stop-after 2y]
                                   one scenario into one result file; --quiet prints only the
                                   line naming the file (errors still go to stderr)
  sarcosim run --resume CHECKPOINT.h5 -o OUT.h5    continue a run from a checkpoint
  sarcosim compare BASE.h5 OTHER.h5 [MORE.h5 ...] [--csv | --json]
                                   outcomes, paired differences with 95 % intervals, NNT, ICER
  sarcosim sweep PLAN.toml -o DIR [--dry-run] [--agents N] [--years Y] [--replicates R]
                 [--jobs J] [--threads T] [--shard I/N]
                                   a parameter sweep (also under mpirun, or as Slurm array shards)
  sarcosim sweep merge DIR | summarise DIR
  sarcosim info RESULT.h5          what a result file holds
  sarcosim params [SECTION] [--markdown]
                                   every parameter: name, unit, default, range, source
  sarcosim validate [--agents N] [--seed S] [--threads T] [--set section.key=value ...]
                                   calibration targets: model vs published figures
  sarcosim outputs [--markdown]    every series, event type and column a result file holds
  sarcosim --version

Exit codes: 0 success, 1 internal error, 2 bad input, 3 file error, 4 validation target missed,
5 some sweep runs failed, 75 stopped after writing a checkpoint (--stop-after, or SIGTERM),
130 interrupted.
Documentation: docs/ (README.md for a start).
)";

// Output that never reached stdout (a full disk, /dev/full) must not pass as success: flushes
// and, if any write failed, says so in one line and turns success into a file error.
int checked_stdout(int code) {
  std::cout.flush();
  if (!std::cout.fail()) return code;
  std::cerr << "sarcosim: error: cannot write to standard output (disk full?)\n";
  return code == sarcosim::kExitOk ? sarcosim::kExitIo : code;
}

int dispatch(const std::string& command, sarcosim::cli::Args& rest,
             const std::string& command_line) {
  using namespace sarcosim;
  if (command == "run") return cli::run_command(rest, command_line);
  if (command == "info") return cli::info_command(rest);
  if (command == "params") return cli::params_command(rest);
  if (command == "validate") return cli::validate_command(rest);
  if (command == "outputs") return cli::outputs_command(rest);
  if (command == "compare") return cli::compare_command(rest);
  if (command == "sweep") return cli::sweep_command(rest);
  throw InputError(
      "unknown command '" + command +
      "': use run, compare, sweep, info, params, validate or outputs (sarcosim --help)");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sarcosim;
  // A file-size limit (ulimit -f) must show as a write error we report, not a silent kill.
  std::signal(SIGXFSZ, SIG_IGN);
  keep_freed_memory_for_reuse();
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line;
  for (int i = 0; i < argc; ++i)
    command_line += (i ? " " : "") + std::string(argv[i]);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::cout << kUsage;
    return checked_stdout(args.empty() ? kExitInput : kExitOk);
  }
  if (args[0] == "--version") {
    std::cout << "sarcosim " << version() << " (" << git_commit() << ")\n";
    return checked_stdout(kExitOk);
  }
  const std::string command = args[0];
  cli::Args rest(std::vector<std::string>(args.begin() + 1, args.end()));
  try {
    return checked_stdout(dispatch(command, rest, command_line));
  } catch (const InputError& e) {
    std::cerr << "sarcosim: error: " << e.what() << "\n";
    return kExitInput;
  } catch (const IoError& e) {
    std::cerr << "sarcosim: error: " << e.what() << "\n";
    return kExitIo;
  } catch (const Interrupted& e) {
    std::cerr << "sarcosim: " << e.what() << "\n";
    return kExitInterrupted;
  } catch (const std::bad_alloc&) {
    std::cerr << "sarcosim: error: out of memory (try fewer --agents)\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "sarcosim: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}
