#include "sarcosim/core/text_table.hpp"

#include <algorithm>

namespace sarcosim {
namespace {

std::vector<std::size_t> column_widths(const std::vector<TextRow>& rows) {
  std::vector<std::size_t> widths;
  for (const TextRow& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], row[c].size());
  }
  return widths;
}

}  // namespace

std::size_t name_column_width(const std::vector<std::string>& names) {
  std::size_t widest = 0;
  for (const auto& name : names)
    widest = std::max(widest, name.size());
  return widest + 2;
}

void print_table(const std::vector<TextRow>& rows, Align align, std::ostream& out,
                 const std::string& indent) {
  const std::vector<std::size_t> widths = column_widths(rows);
  for (const TextRow& row : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string padding(widths[c] - row[c].size(), ' ');
      if (c > 0) line += "  ";
      line += align == Align::Right ? padding + row[c] : row[c] + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
}

}  // namespace sarcosim
