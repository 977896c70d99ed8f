// Plain-text tables for the terminal (sweep plans and summaries): every column as wide as its
// widest cell, so that no name is cut short and no value leaves its column.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace sarcosim {

using TextRow = std::vector<std::string>;

enum class Align { Left, Right };

// Prints each row after `indent`, its cells two spaces apart and aligned in their columns (names
// read best left-aligned, numbers right-aligned). No line ends in spaces.
void print_table(const std::vector<TextRow>& rows, Align align, std::ostream& out,
                 const std::string& indent = "");

// The width of a column of names printed before their values: the longest name and two spaces, so
// that no name runs into its value.
std::size_t name_column_width(const std::vector<std::string>& names);

}  // namespace sarcosim
