// Column storage: columns that start at 0 cost no memory until written; others start filled.
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sarcosim/core/population.hpp"

using namespace sarcosim;

namespace {
// Pages of [data, data + bytes) resident in memory, by mincore().
std::size_t resident_pages(const void* data, std::size_t bytes) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const auto first = reinterpret_cast<std::uintptr_t>(data) / page * page;
  const std::size_t length = reinterpret_cast<std::uintptr_t>(data) + bytes - first;
  std::vector<unsigned char> in((length + page - 1) / page);
  REQUIRE(::mincore(reinterpret_cast<void*>(first), length, in.data()) == 0);
  std::size_t n = 0;
  for (const unsigned char c : in)
    n += c & 1;
  return n;
}
}  // namespace

TEST_CASE("a column that starts at 0 takes memory only where it is written", "[population]") {
  const std::size_t n = 4'000'000;
  Population pop(n);
  auto* flags = pop.add<std::uint8_t>({"test.flag", "", "", {}});
  auto* days = pop.add<std::int16_t>({"test.days", "", "", {}});
  CHECK(resident_pages(flags, n) == 0);
  CHECK(resident_pages(days, n * sizeof(std::int16_t)) == 0);
  flags[n / 2] = 1;
  const std::size_t touched = resident_pages(flags, n);  // one page, small or huge
  CHECK(touched >= 1);
  CHECK(touched * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) <= (std::size_t{2} << 20));
  CHECK(flags[n / 2 + 1] == 0);
  CHECK(days[0] == 0);
  CHECK(days[n - 1] == 0);
}

TEST_CASE("a column that starts elsewhere than 0 is filled, large or small", "[population]") {
  for (const std::size_t n : {std::size_t{3}, std::size_t{1'000'000}}) {
    Population pop(n);
    auto* level = pop.add<float>({"test.level", "", "", {}}, 1.5f);
    auto* death = pop.add<Day16>({"test.day", "day", "", {}}, kNotDead);
    auto* zero = pop.add<float>({"test.zero", "", "", {}});
    for (std::size_t i : {std::size_t{0}, n / 2, n - 1}) {
      CHECK(level[i] == 1.5f);
      CHECK(std::int32_t{death[i]} == kNotDead);
      CHECK(zero[i] == 0.0f);
    }
  }
  CHECK(Population(0).size() == 0);
}

TEST_CASE("large columns start at different places in a page", "[population]") {
  // Person i of columns that all begin on a page boundary share a cache set (and loads alias
  // earlier stores to another column): each column starts a different cache line into its page.
  const std::size_t n = 1'000'000;
  Population pop(n);
  std::vector<std::uintptr_t> offsets;
  for (int k = 0; k < 64; ++k) {
    auto* col = pop.add<float>({"test.col" + std::to_string(k), "", "", {}});
    const auto at = reinterpret_cast<std::uintptr_t>(col);
    CHECK(at % 64 == 0);
    offsets.push_back(at % 4096);
    col[0] = 1;  // whole and writable from the first person to the last
    col[n - 1] = 2;
  }
  std::sort(offsets.begin(), offsets.end());
  CHECK(std::adjacent_find(offsets.begin(), offsets.end()) == offsets.end());
}
