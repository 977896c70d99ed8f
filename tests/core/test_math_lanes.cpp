// exp and log in lanes (core/math_lanes.hpp) are used only through a bracket around their result
// in which libm's result must lie: these tests hold them to 4 ulp of libm, far inside it (2^-40).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/math_lanes.hpp"
#include "sarcosim/core/ratio16.hpp"
#include "sarcosim/core/rng.hpp"

using namespace sarcosim;

namespace {

constexpr double kFourUlp = 0x1p-50;

double relative_error(double got, double want) {
  return want == 0 ? std::fabs(got) : std::fabs(got - want) / std::fabs(want);
}

// Values from a simple generator: a 64-bit xorshift.
struct Numbers {
  std::uint64_t x = 0x9E3779B97F4A7C15u;
  double unit() {  // in [0, 1)
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<double>(x >> 11) * 0x1p-53;
  }
};

// Runs `lanes` and libm's `one` over xs and the edge values (each in all 16 lanes), 16 at a time,
// and checks the worst relative difference.
template <class Lanes, class One>
void check_against_libm(std::vector<double> xs, std::initializer_list<double> edges, Lanes lanes,
                        One one) {
  for (const double x : edges)
    xs.insert(xs.end(), kMathLanes, x);
  double worst = 0;
  for (std::size_t i = 0; i + kMathLanes <= xs.size(); i += kMathLanes) {
    double x[kMathLanes], y[kMathLanes];
    for (int j = 0; j < kMathLanes; ++j)
      x[j] = xs[i + static_cast<std::size_t>(j)];
    lanes(x, y);
    for (int j = 0; j < kMathLanes; ++j) {
      const double e = relative_error(y[j], one(x[j]));
      if (e > worst) {
        worst = e;
        INFO("x = " << x[j] << ": " << y[j] << " against libm's " << one(x[j]));
        CHECK(e <= kFourUlp);
      }
    }
  }
  CHECK(worst <= kFourUlp);
}

}  // namespace

TEST_CASE("log in lanes is within 4 ulp of libm's", "[math]") {
  Numbers r;
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i)  // the uniforms' range, (2^-33, 1), by their logarithm
    xs.push_back(std::exp2(-33 * r.unit()));
  for (int i = 0; i < 200000; ++i)  // near 1 on both sides, where log(x) is small
    xs.push_back(1 + (r.unit() - 0.5) * 1e-3);
  for (int i = 0; i < 200000; ++i)  // all normal doubles, by their exponent
    xs.push_back(std::exp2(2040 * r.unit() - 1020));
  // The ends of the exponent's ranges and of the uniforms (core/rng.hpp: (x + 0.5) / 2^32).
  check_against_libm(
      xs,
      {0x1p-1022, 0x1.fffffffffffffp1023, std::sqrt(0.5), std::sqrt(2.0), 0.5, 1.0, 2.0,
       std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0), std::nextafter(std::sqrt(0.5), 0.0),
       std::nextafter(std::sqrt(2.0), 3.0), 0.5 * 0x1p-32, (0xFFFFFFFFu + 0.5) * 0x1p-32},
      [](const auto& x, auto& y) { log_lanes(x, y); }, [](double x) { return std::log(x); });
}

TEST_CASE("exp in lanes is within 4 ulp of libm's", "[math]") {
  Numbers r;
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i)  // grip hazard ratios' range and beyond
    xs.push_back((r.unit() - 0.5) * 20);
  for (int i = 0; i < 200000; ++i)  // the whole range of normal results
    xs.push_back(-708 + 1417 * r.unit());
  check_against_libm(
      xs,
      {-708.0, 709.0, 0.0, -0.0, 0.34657359027997264, -0.34657359027997264, 0.34657359027997270,
       1e-300, -1e-300},
      [](const auto& x, auto& y) { exp_lanes(x, y); }, [](double x) { return std::exp(x); });
}

TEST_CASE("normals in lanes: the same bits one at a time, and libm's Box-Muller to 2^-48",
          "[math]") {
  // Ours are within 2^-51.4 of the exact normal (relative to r = sqrt(-2 log u0)) over 32 million
  // pairs against long double, libm's within 2^-50.3: its argument 2 pi u1 is rounded first.
  Numbers r;
  const double ends[] = {0.5 * 0x1p-32, (0xFFFFFFFFu + 0.5) * 0x1p-32, 0.5};
  double worst = 0;
  std::uint64_t differ = 0;
  for (int round = 0; round < 40000; ++round) {
    double u0[kMathLanes], u1[kMathLanes], z0[kMathLanes], z1[kMathLanes];
    for (int j = 0; j < kMathLanes; ++j) {
      u0[j] = (std::floor(r.unit() * 0x1p32) + 0.5) * 0x1p-32;  // as core/rng.hpp makes them
      u1[j] = (std::floor(r.unit() * 0x1p32) + 0.5) * 0x1p-32;
    }
    if (round == 0)  // the ends of the uniforms, and the quadrants' edges and midpoints
      for (int j = 0; j < kMathLanes; ++j) {
        u0[j] = ends[j % 3];
        u1[j] = j < 9 ? j / 8.0 + (j == 0 ? ends[0] : j == 8 ? -ends[0] : 0) : ends[j % 2];
      }
    normal_pair_lanes(u0, u1, z0, z1);
    for (int j = 0; j < kMathLanes; ++j) {
      const auto one = normal_pair(u0[j], u1[j]);
      differ += one[0] != z0[j] || one[1] != z1[j];
      const double radius = std::sqrt(-2 * std::log(u0[j])), theta = 6.283185307179586 * u1[j];
      const double e = std::max(std::fabs(z0[j] - radius * std::cos(theta)),
                                std::fabs(z1[j] - radius * std::sin(theta))) /
                       radius;
      if (e > worst) {
        worst = e;
        INFO("u0 = " << u0[j] << ", u1 = " << u1[j] << ": " << z0[j] << ", " << z1[j]);
        CHECK(e <= 0x1p-48);
      }
    }
  }
  CHECK(differ == 0);
  CHECK(worst <= 0x1p-48);
  CHECK(worst > 0);  // they are not libm's bits
}

TEST_CASE("initial budgets through lanes are libm's, bit for bit", "[math][budget]") {
  // Enough draws that some land at a bracket's edge and take libm's logarithm instead.
  const std::uint32_t n = 400000;
  std::vector<HazardBudget> budgets(n);
  for (const Rng& rng : {Rng(1), Rng(99)}) {
    const StreamId s = stream("test.math_lanes");
    initial_budgets(rng, s, 0, n, budgets.data());
    std::uint32_t differ = 0;
    for (std::uint32_t i = 0; i < n; ++i)
      differ += budgets[i] != budget_from(-std::log(rng.uniform(s, i, kInitDay)));
    CHECK(differ == 0);
  }
}

TEST_CASE("budgets are monotone in the draw, as the bracket needs", "[math][budget]") {
  Numbers r;
  for (int i = 0; i < 100000; ++i) {
    const double e = 40 * r.unit() * r.unit();
    const double up = std::nextafter(e, 100.0);
    CHECK(budget_from(e) <= budget_from(up));
  }
  CHECK(budget_from(8.0) == (kMoreFollows | kSegmentMask));
  CHECK(budget_from(8.0 - 0x1p-26) == kSegmentMask - 3);
  CHECK(budget_from(0.0) == 1u);
  CHECK(budget_from(std::nan("")) == (kMoreFollows | kSegmentMask));
}

TEST_CASE("a value that rounds alike rounds alike over its whole bracket", "[math][ratio16]") {
  Numbers r;
  int near_midpoint = 0;
  for (int i = 0; i < 200000; ++i) {
    // Ratios from 1e-5 to 1e5, and every 50th just beside a midpoint between two halves.
    double y = std::exp((r.unit() - 0.5) * 23);
    if (i % 50 == 0) {
      const double half = static_cast<float>(Ratio16(y)), up = std::nextafter(half, 1e9);
      y = (half + static_cast<float>(Ratio16(up * (1 + 0x1p-10)))) / 2 *
          (1 + (r.unit() - 0.5) * 0x1p-38);
    }
    const bool alike = rounds_alike(y, Ratio16::kSignificantBits);
    near_midpoint += !alike;
    if (alike)
      CHECK(static_cast<float>(Ratio16(lane_low(y))) == static_cast<float>(Ratio16(lane_high(y))));
  }
  CHECK(near_midpoint > 1000);  // most of those beside a midpoint, and hardly any other
  CHECK(near_midpoint < 4000);
  CHECK_FALSE(rounds_alike(1.0 + 0x1p-11, Ratio16::kSignificantBits));  // 1 and 1 + 2^-10's
  CHECK(rounds_alike(1.0, Ratio16::kSignificantBits));
}
