// Column storage: columns that start at 0 cost no memory until written; others start filled.
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sarcosim/core/column_arena.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

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

TEST_CASE("the column arena hands out zeroed memory end to end, then says no", "[population]") {
  const std::size_t reserve = std::size_t{4} << 20;
  ColumnArena arena(reserve);
  REQUIRE(arena.reserved() >= reserve);  // address space only (no commit charge until taken)
  auto* first = static_cast<unsigned char*>(arena.take(1'000'000, 0));
  REQUIRE(first != nullptr);
  CHECK(reinterpret_cast<std::uintptr_t>(first) % (std::size_t{2} << 20) == 0);  // huge pages
  auto* second = static_cast<unsigned char*>(arena.take(1'000'000, 128));
  REQUIRE(second != nullptr);
  CHECK(reinterpret_cast<std::uintptr_t>(second) % 4096 == 128);  // the offset asked for
  CHECK(second >= first + 1'000'000);                             // after the first, no overlap
  CHECK(second - first < 1'000'000 + 4096 + 128);                 // and next to it
  CHECK(first[0] == 0);
  CHECK(second[999'999] == 0);
  first[999'999] = 7;  // writable to its last byte, and not the second's first
  CHECK(second[0] == 0);
  CHECK(arena.take(arena.reserved(), 0) == nullptr);  // no room left
  CHECK(arena.take(16, 4096) == nullptr);             // an offset beyond a page
  CHECK(arena.take(16, 64) != nullptr);               // small ones still fit
}

TEST_CASE("columns go on when the arena is full", "[population]") {
  // 100,000 people reserve about 67 MB of address space (512 bytes a person and 16 MB); 200 float
  // columns (80 MB) outgrow it and the later ones map their own memory. Every column stays whole
  // and writable.
  const std::size_t n = 100'000;
  Population pop(n);
  std::vector<float*> cols;
  for (int k = 0; k < 200; ++k) {
    cols.push_back(
        pop.add<float>({"test.many" + std::to_string(k), "", "", {}}, k % 2 ? 2.0f : 0.0f));
    cols.back()[n - 1] += 1;
  }
  for (int k = 0; k < 200; ++k) {
    CHECK(cols[k][0] == (k % 2 ? 2.0f : 0.0f));
    CHECK(cols[k][n - 1] == (k % 2 ? 3.0f : 1.0f));
  }
  // No two columns share memory, in the arena or past it.
  std::vector<float*> starts = cols;
  std::sort(starts.begin(), starts.end());
  for (std::size_t k = 1; k < starts.size(); ++k)
    CHECK(starts[k] >= starts[k - 1] + n);
}

TEST_CASE("a population's large columns lie end to end in its arena", "[population]") {
  // One reservation on a 2 MiB boundary (huge pages): the first large column starts there and the
  // next one right after it (its own 4 KiB page, a cache line in), not in a mapping of its own.
  const std::size_t n = 1'000'000;
  Population pop(n);
  auto* first = pop.add<float>({"test.first", "", "", {}});
  auto* second = pop.add<std::uint16_t>({"test.second", "", "", {}});
  const auto a = reinterpret_cast<std::uintptr_t>(first),
             b = reinterpret_cast<std::uintptr_t>(second);
  CHECK(a % (std::size_t{2} << 20) == 0);
  CHECK(b > a);
  CHECK(b - a < n * sizeof(float) + 4096 + 64);
}

// A dense column that the baseline leaves at 0 for everyone costs its bytes a person for nothing
// once read: on kernels that give a fresh page to a read (this project's machines), a never-written
// column that modules or the snapshot read is as resident as any other. Such a column (the
// programmes' mask, the study flag) must be sparse.
TEST_CASE("the baseline leaves no dense column at 0 for everyone", "[population][memory]") {
  const RunResult r = run_simulation(test::small_scenario({"run.agents=3000", "run.years=1"}));
  for (const auto& c : r.population.columns()) {
    if (c.sparse) continue;
    const std::vector<std::uint8_t> bytes = test::column_bytes(r.population, c);
    INFO(c.info.name);
    CHECK(std::any_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b != 0; }));
  }
}
