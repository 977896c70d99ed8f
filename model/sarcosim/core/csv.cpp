#include "sarcosim/core/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/params.hpp"

namespace sarcosim {
namespace {
// Splits one line into cells; a cell may be quoted ("a, b" or "say ""hi""", RFC 4180).
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false, was_quoted = false;
  auto finish = [&] {
    if (!was_quoted) {
      const auto b = cell.find_first_not_of(" \t\r");
      const auto e = cell.find_last_not_of(" \t\r");
      cell = b == std::string::npos ? std::string() : cell.substr(b, e - b + 1);
    }
    out.push_back(cell);
    cell.clear();
    was_quoted = false;
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
    } else if (c == '"' && cell.find_first_not_of(" \t") == std::string::npos) {
      quoted = was_quoted = true;
      cell.clear();
    } else if (c == ',') {
      finish();
    } else if (c != '\r' || !was_quoted) {
      cell += c;
    }
  }
  finish();
  return out;
}

// Each column once: with a name twice, which one a reader takes would be a guess.
void check_header(const std::filesystem::path& file, const std::vector<std::string>& header) {
  for (std::size_t i = 0; i < header.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (header[i] == header[j])
        throw InputError(file.string() + ": column '" + header[i] +
                         "' appears twice in the header");
}
}  // namespace

CsvTable read_csv(const std::filesystem::path& file) {
  // A directory opens as an empty stream on some systems, and a device never ends.
  std::error_code ec;
  if (std::filesystem::exists(file, ec) && !std::filesystem::is_regular_file(file, ec))
    throw InputError(file.string() + ": not a regular file; give a CSV file");
  std::ifstream in(file);
  if (!in) throw InputError(file.string() + ": cannot open CSV file (missing or unreadable)");
  CsvTable t;
  t.file = file;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    if (n == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a BOM (Excel's UTF-8)
    auto cells = split(line);
    if (t.header.empty()) {
      t.header = std::move(cells);
      check_header(file, t.header);
      continue;
    }
    if (cells.size() != t.header.size())
      throw InputError(file.string() + ":" + std::to_string(n) + ": expected " +
                       std::to_string(t.header.size()) + " columns, found " +
                       std::to_string(cells.size()));
    t.rows.push_back(std::move(cells));
    t.lines.push_back(n);
  }
  if (t.header.empty()) throw InputError(file.string() + ": CSV file is empty (no header row)");
  if (t.rows.empty()) throw InputError(file.string() + ": CSV file has a header but no rows");
  return t;
}

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvTable::require_column(const std::string& name) const {
  const int c = column(name);
  if (c < 0) throw InputError(file.string() + ": missing column '" + name + "'");
  return c;
}

std::string CsvTable::where(std::size_t row) const {
  return file.string() + ":" + std::to_string(lines[row]);
}

double CsvTable::number(std::size_t row, int col) const {
  const std::string& s = rows[row][static_cast<std::size_t>(col)];
  double x = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(x))
    throw InputError(where(row) + ": column '" + header[static_cast<std::size_t>(col)] +
                     "' is not a number: '" + s + "'");
  return x;
}

double CsvTable::number_in(std::size_t row, int col, double lo, double hi, bool whole) const {
  const double x = number(row, col);
  const std::string& name = header[static_cast<std::size_t>(col)];
  if (x < lo || x > hi)
    throw InputError(where(row) + ": column '" + name + "' = " + format_number(x) +
                     " is outside [" + format_number(lo) + ", " + format_number(hi) + "]");
  if (whole && x != std::floor(x))
    throw InputError(where(row) + ": column '" + name + "' = " + format_number(x) +
                     " must be a whole number");
  return x;
}

}  // namespace sarcosim
