// Fixed16: lasting values in 16 bits of fixed point, read as floats and written as float32.
#include <catch2/catch.hpp>

#include <cmath>

#include "sarcosim/core/fixed16.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("a fixed-point value is the nearest step, and held to its range", "[fixed16]") {
  using Sd = Fixed16<-8, 12>;
  for (double x = -7.99; x < 7.99; x += 0.0137) {
    const float v = Sd(x);
    REQUIRE(std::abs(v - x) <= 0.5 / 4096 + 1e-12);
    REQUIRE(Sd(v) == v);  // a value read back is kept as it is
  }
  CHECK(Sd(0.0) == 0.0f);
  CHECK(Sd() == 0.0f);
  CHECK(Sd(-100.0) == -8.0f);
  CHECK(Sd(100.0) == static_cast<float>(Sd::kHi));
  CHECK(Sd(std::nan("")) == -8.0f);
  CHECK(sizeof(Sd) == 2);
}

TEST_CASE("lasting values go to the snapshot as float32, the values the model reads",
          "[fixed16][io]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=9"});
  const RunResult run = run_simulation(sc);
  const auto [file, snapshot] = test::write_and_open(dir, sc, run);
  const CoreColumns c = CoreColumns::find(run.population);
  const auto height = snapshot.read<float>("height_m");
  const auto propensity = snapshot.read<float>("activity.propensity");
  const auto propensity_column = run.population.column("activity.propensity");
  REQUIRE(height.size() == run.population.size());
  for (std::size_t i = 0; i < height.size(); ++i) {
    REQUIRE(height[i] == c.height_m[i]);
    REQUIRE((height[i] > 1.2f && height[i] < 2.2f));
    REQUIRE(propensity[i] == column_value(propensity_column, i));
  }
}
