// A small reader for the CSV inputs (cohorts, life tables, age structures, sweep plans and
// indexes): a header row, comma separated, cells optionally quoted (RFC 4180, one line per row).
// Errors name the file and line.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sarcosim {

struct CsvTable {
  std::filesystem::path file;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // line number of each row, for messages

  int column(const std::string& name) const;          // -1 if absent
  int require_column(const std::string& name) const;  // throws InputError
  double number(std::size_t row, int col) const;      // throws InputError naming file:line
  // A number in [lo, hi] (a whole one if `whole`), or InputError naming file:line, column and
  // the allowed range.
  double number_in(std::size_t row, int col, double lo, double hi, bool whole = false) const;
  std::string where(std::size_t row) const;
};

CsvTable read_csv(const std::filesystem::path& file);

}  // namespace sarcosim
