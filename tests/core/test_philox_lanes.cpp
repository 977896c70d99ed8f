// 16 Philox calls at once (core/philox_lanes.hpp) must give the very words of 16 calls of
// Random123's Philox4x32-10, on every path this machine has (AVX-512, AVX2, one by one), so that
// draws made in lanes are the draws made one at a time.
#include <Random123/philox.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/philox_lanes.hpp"
#include "sarcosim/core/rng.hpp"

using namespace sarcosim;

TEST_CASE("16 Philox lanes give the words of 16 Random123 calls", "[rng]") {
  // Counters and keys from a simple generator over the whole 32-bit range, the extremes included.
  std::uint64_t x = 0x9E3779B97F4A7C15u;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<std::uint32_t>(x >> 16);
  };
  using Philox = r123::Philox4x32;
  const auto path = GENERATE(PhiloxPath::avx512, PhiloxPath::avx2, PhiloxPath::one_by_one);
  if (!philox_path_available(path)) {  // not on this machine: refused, never run
    PhiloxLanes lanes{};
    CHECK_THROWS_AS(philox_lanes_by(path, lanes, 1, 2), std::invalid_argument);
    return;
  }
  for (int trial = 0; trial < 500; ++trial) {
    PhiloxLanes lanes;
    for (int j = 0; j < kPhiloxLanes; ++j)
      for (int w = 0; w < 4; ++w)
        lanes.word[w][j] = trial == 0 ? (j % 2 ? 0xFFFFFFFFu : 0u) : next();
    const PhiloxLanes counters = lanes;
    const std::uint32_t key0 = trial == 1 ? 0xFFFFFFFFu : next(), key1 = next();
    philox_lanes_by(path, lanes, key0, key1);
    for (int j = 0; j < kPhiloxLanes; ++j) {
      const Philox::ctr_type ctr = {
          {counters.word[0][j], counters.word[1][j], counters.word[2][j], counters.word[3][j]}};
      const Philox::ctr_type want = Philox{}(ctr, {{key0, key1}});
      INFO("path " << static_cast<int>(path) << ", trial " << trial << ", lane " << j);
      for (int w = 0; w < 4; ++w)
        CHECK(lanes.word[w][j] == want[w]);
    }
  }
}

TEST_CASE("draws, normals and initial budgets in lanes are those made one at a time", "[rng]") {
  std::vector<std::uint32_t> person(100);
  std::iota(person.rbegin(), person.rend(), 1000u);  // stored in another order than drawn
  for (const Rng& rng : {Rng(7), Rng(1ull << 40 | 3).keyed_by(person.data())}) {
    const StreamId s = stream("test.lanes");
    std::uint32_t agent[kPhiloxLanes], k[kPhiloxLanes];
    for (std::uint32_t j = 0; j < kPhiloxLanes; ++j) {
      agent[j] = 3 * j % 17;
      k[j] = j * j;
    }
    double u[kPhiloxLanes];
    rng.uniform_lanes(s, agent, 12, k, u);
    for (int j = 0; j < kPhiloxLanes; ++j)
      CHECK(u[j] == rng.uniform(s, agent[j], 12, k[j]));
    double u4[4][kPhiloxLanes], z0[kPhiloxLanes], z1[kPhiloxLanes];
    rng.uniform4_lanes(s, agent, 12, k, u4);
    rng.normal2_lanes(s, agent, 12, k, z0, z1);
    for (int j = 0; j < kPhiloxLanes; ++j) {
      const auto one = rng.uniform4(s, agent[j], 12, k[j]);
      for (int w = 0; w < 4; ++w)
        CHECK(u4[w][j] == one[static_cast<std::size_t>(w)]);
      const auto normals = rng.normal2(s, agent[j], 12, k[j]);
      CHECK(z0[j] == normals[0]);
      CHECK(z1[j] == normals[1]);
    }
    // 37 agents: two full rounds of lanes and a part.
    std::vector<HazardBudget> budgets(60, 0);
    initial_budgets(rng, s, 20, 57, budgets.data());
    for (std::uint32_t i = 0; i < budgets.size(); ++i)
      CHECK(budgets[i] == (i >= 20 && i < 57 ? initial_budget(rng, s, i) : 0u));
    std::vector<double> z(60, 0), v(60, 0);
    std::vector<int> calls(60, 0);
    rng.for_each_normal(s, 20, 57, 3, [&](std::uint32_t i, double x) {
      z[i] = x;
      ++calls[i];
    });
    rng.for_each_uniform(s, 20, 57, 3, [&](std::uint32_t i, double x) {
      v[i] = x;
      ++calls[i];
    });
    for (std::uint32_t i = 0; i < z.size(); ++i) {
      const bool in = i >= 20 && i < 57;
      CHECK(calls[i] == (in ? 2 : 0));
      CHECK(z[i] == (in ? rng.normal2(s, i, 3)[0] : 0.0));
      CHECK(v[i] == (in ? rng.uniform(s, i, 3) : 0.0));
    }
  }
}
