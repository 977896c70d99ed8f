// Sparse columns (core/sparse_column.hpp): short-term states held for the few people in them. They
// must read exactly as a dense column would, whatever the order of writes, and cost a bit a person.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "sarcosim/core/fixed16.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

using namespace sarcosim;

namespace {

// Random writes (mostly 0, as short-term states are), checked against a dense copy after each
// round, with settle() between rounds as the simulation does at period ends.
template <class T, class Draw>
void matches_dense_copy(std::size_t n, Draw draw) {
  SparseColumn<T> sparse(n);
  std::vector<T> dense(n, T{});
  std::mt19937 gen(7);
  std::uniform_int_distribution<std::size_t> who(0, n - 1);
  for (int round = 0; round < 20; ++round) {
    for (int k = 0; k < 3000; ++k) {
      const std::size_t i = who(gen);
      const T v = draw(gen);
      sparse.set(i, v);
      dense[i] = v;
    }
    if (round % 2) sparse.settle(0, n);
    std::size_t differ = 0, nonzero = 0;
    for (std::size_t i = 0; i < n; ++i) {
      differ += !(sparse[i] == dense[i]);
      nonzero += !(dense[i] == T{});
    }
    REQUIRE(differ == 0);
    REQUIRE(sparse.count() == nonzero);
    std::vector<T> out(n);
    sparse.copy_out(0, n, out.data());
    REQUIRE(out == dense);
  }
}

}  // namespace

TEST_CASE("a sparse column reads as the dense column it stands for, whatever the writes",
          "[population][sparse]") {
  // Pages of 4096 people: 10,000 people end in a part page.
  matches_dense_copy<std::int16_t>(10000, [](std::mt19937& g) {
    return static_cast<std::int16_t>(g() % 4 == 0 ? g() % 200 : 0);
  });
  matches_dense_copy<float>(9000, [](std::mt19937& g) {
    return g() % 3 == 0 ? static_cast<float>(g() % 1000) / 7 : 0.0f;
  });
  // Dense at times (an in-silico cohort puts everyone of a page in bed rest at once).
  matches_dense_copy<std::uint8_t>(
      5000, [](std::mt19937& g) { return static_cast<std::uint8_t>(g() % 5 == 0 ? 0 : g() % 4); });
}

TEST_CASE("a sparse value set back to 0 reads 0 at once and gives up its place when settled",
          "[population][sparse]") {
  SparseColumn<std::uint16_t> c(5000);
  c.set(4095, 3);
  c.set(4096, 4);  // first of the second page
  c.set(17, 1);
  CHECK(c[17] == 1);
  CHECK(c[4095] == 3);
  CHECK(c[4096] == 4);
  CHECK(c[18] == 0);
  c.set(4095, 0);
  CHECK(c[4095] == 0);
  CHECK(c.count() == 2);
  CHECK(c.places() == 3);
  CHECK(c.save().size() == 2 * (4 + sizeof(std::uint16_t)));
  c.settle(0, 4096);  // the first page only
  CHECK(c.places() == 2);
  CHECK(c[17] == 1);
  CHECK(c[4095] == 0);
  CHECK(c[4096] == 4);
  c.set(4095, 9);  // a new place again
  CHECK(c[4095] == 9);
  CHECK(c[17] == 1);
}

TEST_CASE("a sparse column's saved list restores the same values and refuses bad lists",
          "[population][sparse][checkpoint]") {
  SparseColumn<Fixed16<0, 14>> a(3000);
  a.set(5, 0.83);
  a.set(2999, 1.0);
  a.set(1000, 0.3);
  a.set(1000, 0.0);  // no value: not saved
  const auto bytes = a.save();
  CHECK(bytes.size() == 2 * (4 + 2));
  SparseColumn<Fixed16<0, 14>> b(3000);
  REQUIRE(b.load(bytes));
  for (std::size_t i = 0; i < 3000; ++i)
    REQUIRE(static_cast<float>(a[i]) == static_cast<float>(b[i]));
  auto truncated = bytes;
  truncated.pop_back();
  CHECK_FALSE(b.load(truncated));
  SparseColumn<Fixed16<0, 14>> small(100);  // agent 2999 is not in it
  CHECK_FALSE(small.load(bytes));
  auto unordered = bytes;  // the second entry before the first
  std::rotate(unordered.begin(), unordered.begin() + 6, unordered.end());
  CHECK_FALSE(b.load(unordered));
}

TEST_CASE("a sparse column costs a bit a person and is found by name as sparse only",
          "[population][sparse]") {
  Population pop(1000);
  const std::size_t before = pop.bytes_per_agent();
  Sparse<std::int16_t> days = pop.add_sparse<std::int16_t>({"days", "days", "", {}});
  CHECK(pop.bytes_per_agent() == before + 1);  // 1 bit, rounded up to a byte
  days.set(3, 7);
  CHECK(pop.get_sparse<std::int16_t>("days")[3] == 7);
  CHECK_THROWS(pop.get<std::int16_t>("days"));
  CHECK_THROWS(pop.get_sparse<std::uint8_t>("days"));
  CHECK_THROWS(pop.add<std::int16_t>({"days", "", "", {}}));
  const auto ref = pop.column("days");
  CHECK(ref.data == nullptr);
  REQUIRE(ref.sparse != nullptr);
  CHECK(column_value(ref, 3) == 7);
  CHECK(column_value(ref, 4) == 0);
}

TEST_CASE("short-term states are sparse columns in a run, and the snapshot holds them densely",
          "[population][sparse][snapshot]") {
  const test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.agents=3000", "run.years=1"});
  const RunResult run = run_simulation(sc);
  for (const char* name : {"hospital.days_left", "disuse.kind", "disuse.day", "disuse.dose",
                           "hospital.admission_request", "muscle.pending_neurogenic_loss_kg",
                           "death_cause", "falls.count"}) {
    INFO(name);
    CHECK(run.population.column(name).sparse != nullptr);
  }
  auto result = test::write_and_open(dir, sc, run);
  const auto written = result.snapshot.read<std::int32_t>("hospital.days_left");
  const auto ref = run.population.column("hospital.days_left");
  REQUIRE(written.size() == run.population.size());
  std::size_t in_hospital = 0;
  for (std::size_t i = 0; i < written.size(); ++i) {
    REQUIRE(written[i] == column_value(ref, i));
    in_hospital += written[i] > 0;
  }
  CHECK(in_hospital > 0);  // the check saw some values
}
