// `sarcosim info`: what a result file holds.
#include <iomanip>
#include <iostream>

#include "cli.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/text_table.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim::cli {
namespace {

using NameValues = std::vector<std::pair<std::string, std::string>>;

// One "name  value" line each, the values lined up after the longest name.
void print_name_values(const NameValues& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows)
    names.push_back(row.first);
  const auto width = static_cast<int>(name_column_width(names));
  for (const auto& [name, value] : rows)
    std::cout << "  " << std::left << std::setw(width) << name << value << "\n";
}

NameValues run_description(const ResultInfo& info) {
  NameValues rows;
  for (const char* key : {"scenario_name", "scenario_description", "scenario_file", "version",
                          "git_commit", "seed", "agents", "years", "days", "period_days", "threads",
                          "wall_seconds", "created_utc", "command_line"}) {
    const auto it = info.metadata.find(key);
    if (it != info.metadata.end() && !it->second.empty()) rows.emplace_back(key, it->second);
  }
  rows.emplace_back("periods", std::to_string(info.periods));
  rows.emplace_back("events", std::to_string(info.events));
  return rows;
}

void print_names(const std::string& title, const std::vector<std::string>& names) {
  std::cout << title << " (" << names.size() << "):";
  for (const auto& name : names)
    std::cout << " " << name;
  std::cout << "\n";
}

}  // namespace

int info_command(Args& args) {
  if (args.done()) usage_error("info: no result file given (sarcosim info RESULT.h5)");
  const std::string file = args.next();
  if (!args.done()) usage_error("info: unexpected argument '" + args.peek() + "'");
  if (!std::filesystem::exists(file)) throw InputError(file + ": result file not found");
  const ResultInfo info = read_result_info(file);
  std::cout << file << "\n";
  print_name_values(run_description(info));
  print_names("series", info.series);
  print_names("snapshot columns", info.snapshot_columns);
  std::cout << "headline figures:\n";
  print_name_values(info.summary);
  return kExitOk;
}

}  // namespace sarcosim::cli
