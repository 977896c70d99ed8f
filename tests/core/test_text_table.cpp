// Plain-text tables: columns as wide as their widest cell, two spaces apart, no trailing spaces.
#include <catch2/catch.hpp>

#include <sstream>

#include "sarcosim/core/text_table.hpp"

using namespace sarcosim;

TEST_CASE("text tables fit each column to its widest cell", "[table]") {
  const std::vector<TextRow> rows = {{"level", "mortality_per_1000_py"}, {"0.8", "34.02"}};
  std::ostringstream left, right;
  print_table(rows, Align::Left, left);
  print_table(rows, Align::Right, right, "  ");
  CHECK(left.str() ==
        "level  mortality_per_1000_py\n"
        "0.8    34.02\n");
  CHECK(right.str() ==
        "  level  mortality_per_1000_py\n"
        "    0.8                  34.02\n");
}
