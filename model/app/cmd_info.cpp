// `sarcosim info`: what a result file holds.
#include <iomanip>
#include <iostream>

#include "cli.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim::cli {

int info_command(Args& args) {
  if (args.done()) usage_error("info: no result file given (sarcosim info RESULT.h5)");
  const std::string file = args.next();
  if (!args.done()) usage_error("info: unexpected argument '" + args.peek() + "'");
  if (!std::filesystem::exists(file)) throw InputError(file + ": result file not found");
  const ResultInfo info = read_result_info(file);
  std::cout << file << "\n";
  for (const char* key : {"scenario_name", "scenario_description", "scenario_file", "version",
                          "git_commit", "seed", "agents", "years", "days", "period_days", "threads",
                          "wall_seconds", "created_utc", "command_line"}) {
    const auto it = info.metadata.find(key);
    if (it != info.metadata.end() && !it->second.empty())
      std::cout << "  " << std::left << std::setw(22) << key << it->second << "\n";
  }
  std::cout << "  " << std::left << std::setw(22) << "periods" << info.periods << "\n";
  std::cout << "  " << std::left << std::setw(22) << "events" << info.events << "\n";
  std::cout << "series (" << info.series.size() << "):";
  for (const auto& s : info.series)
    std::cout << " " << s;
  std::cout << "\nsnapshot columns (" << info.snapshot_columns.size() << "):";
  for (const auto& s : info.snapshot_columns)
    std::cout << " " << s;
  std::cout << "\nheadline figures:\n";
  for (const auto& [name, value] : info.summary)
    std::cout << "  " << std::left << std::setw(30) << name << value << "\n";
  return kExitOk;
}

}  // namespace sarcosim::cli
