// Day16 and BirthDay16: days in 16 bits that read as int32, and are written to the result file
// as int32.
#include <catch2/catch.hpp>

#include <cstdint>

#include "sarcosim/core/day16.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/recording.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("every day of the longest run, and the day before it, reads back as itself", "[day16]") {
  const auto last_day = static_cast<std::int32_t>(kMaxRunYears * kDaysPerYear);
  for (std::int32_t day = -1; day <= last_day; ++day)
    REQUIRE(std::int32_t{Day16(day)} == day);
  CHECK(sizeof(Day16) == 2);
}

TEST_CASE("every birth day up to 179 years before the start reads back as itself", "[day16]") {
  for (std::int32_t day = BirthDay16::kEarliest; day <= 0; ++day)
    REQUIRE(std::int32_t{BirthDay16(day)} == day);
  CHECK(sizeof(BirthDay16) == 2);
  CHECK_THROWS(BirthDay16(1));  // no births during a run
  CHECK_THROWS(BirthDay16(BirthDay16::kEarliest - 1));
}

TEST_CASE("never and not-in-the-run keep their meaning in 16 bits", "[day16]") {
  CHECK(std::int32_t{Day16()} == state::kNever);
  CHECK(std::int32_t{Day16(state::kNever)} == state::kNever);
  CHECK(std::int32_t{Day16(-2)} == state::kNever);  // before the run: long ago
  CHECK(std::int32_t{Day16(kNotDead)} == kNotDead);
  CHECK(std::int32_t{Day16(Day16::kLast + 1)} == kNotDead);  // after any run: not in it
  // What the modules do with them: "since" is large for never, "until" is large for not yet.
  const std::int32_t today = 1000;
  CHECK(today - Day16(state::kNever) > 365 * 100);
  CHECK(Day16(kNotDead) > today);
}

TEST_CASE("16-bit day columns cost 2 bytes and go to the snapshot as int32 days", "[day16][io]") {
  Population pop(3);
  pop.add<std::uint8_t>({"flag", "", "", {}});
  const std::size_t before = pop.bytes_per_agent();
  Day16* days = pop.add<Day16>({"days", "day", "", {}}, kNotDead);
  CHECK(pop.bytes_per_agent() == before + 2);
  CHECK(days[2] == kNotDead);

  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=8"});
  const RunResult run = run_simulation(sc);
  const auto [file, snapshot] = test::write_and_open(dir, sc, run);
  const auto death_day = snapshot.read<std::int32_t>("death_day");
  const auto birth_day = snapshot.read<std::int32_t>("birth_day");
  const CoreColumns c = CoreColumns::find(run.population);
  REQUIRE(death_day.size() == run.population.size());
  std::size_t dead = 0;
  for (std::size_t i = 0; i < death_day.size(); ++i) {
    REQUIRE(death_day[i] == c.death_day[i]);
    REQUIRE(birth_day[i] == c.birth_day[i]);
    REQUIRE(birth_day[i] < -60 * kDaysPerYear);  // people of 60 and over, by default
    REQUIRE((death_day[i] == kNotDead) == (c.alive[i] == 1));
    dead += c.alive[i] == 0;
  }
  CHECK(dead > 0);
}
