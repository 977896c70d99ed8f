#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "sarcosim/core/rng.hpp"

using namespace sarcosim;

TEST_CASE("a draw is a pure function of (seed, stream, agent, day, k)", "[rng]") {
  const Rng a(42), b(42);
  const auto s = stream("falls.site");
  CHECK(a.uniform4(s, 7, 100, 3) == b.uniform4(s, 7, 100, 3));
  // Drawing other numbers in between changes nothing: there is no generator state.
  const double first = a.uniform(s, 1, 1);
  for (int i = 0; i < 100; ++i)
    (void)a.uniform(stream("other"), i, i);
  CHECK(a.uniform(s, 1, 1) == first);
}

TEST_CASE("every key component changes the draw", "[rng]") {
  const Rng r(1);
  const auto s = stream("demography.death");
  const double base = r.uniform(s, 5, 10, 0);
  CHECK(Rng(2).uniform(s, 5, 10, 0) != base);
  CHECK(Rng(1ull << 40 | 1).uniform(s, 5, 10, 0) != base);  // high seed bits count too
  CHECK(r.uniform(stream("muscle.x"), 5, 10, 0) != base);
  CHECK(r.uniform(s, 6, 10, 0) != base);
  CHECK(r.uniform(s, 5, 11, 0) != base);
  CHECK(r.uniform(s, 5, 10, 1) != base);
}

TEST_CASE("uniforms lie in (0, 1) with mean 1/2 and exponentials have mean 1", "[rng]") {
  const Rng r(3);
  const auto s = stream("test");
  double sum = 0, sum_exp = 0, sum_z = 0, sum_z2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const auto u = r.uniform4(s, static_cast<std::uint32_t>(i), 0);
    for (double x : u) {
      REQUIRE(x > 0.0);
      REQUIRE(x < 1.0);
      sum += x;
    }
    sum_exp += r.exponential(s, static_cast<std::uint32_t>(i), 1);
    const auto z = r.normal2(s, static_cast<std::uint32_t>(i), 2);
    sum_z += z[0] + z[1];
    sum_z2 += z[0] * z[0] + z[1] * z[1];
  }
  CHECK(sum / (4.0 * n) == Approx(0.5).margin(0.002));
  CHECK(sum_exp / n == Approx(1.0).margin(0.01));
  CHECK(sum_z / (2.0 * n) == Approx(0.0).margin(0.01));
  CHECK(sum_z2 / (2.0 * n) == Approx(1.0).margin(0.01));
}

TEST_CASE("stream names hash to distinct ids", "[rng]") {
  std::set<std::uint32_t> ids;
  for (const char* n : {"population.age_sex", "population.body", "population.resample",
                        "demography.death", "muscle.loss_multiplier"})
    CHECK(ids.insert(stream(n).value).second);
}
