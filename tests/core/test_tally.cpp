// Tally: a block's tallies, kept for the age bands that have any, and added to a period's in full.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "sarcosim/core/recording.hpp"

using namespace sarcosim;

namespace {
constexpr std::size_t kSeries = 5;
std::size_t cell(int s, int sex, int band) {
  return (static_cast<std::size_t>(s) * 2 + static_cast<std::size_t>(sex)) * AgeBands::kCount +
         static_cast<std::size_t>(band);
}
}  // namespace

TEST_CASE("a tally keeps the bands tallied, and adds up as the full table would", "[tally]") {
  // Blocks whose people are in bands [lo, hi], now and then one elsewhere; their tallies are
  // compared with full tables summed in the same order.
  std::mt19937 gen(7);
  std::vector<double> work, expected(kSeries * 2 * AgeBands::kCount, 0.0),
      period(expected.size(), 0.0);
  for (const auto& [lo, hi, strays] : {std::tuple{4, 5, false}, std::tuple{0, 11, false},
                                       std::tuple{7, 7, false}, std::tuple{3, 3, true}}) {
    Tally t;
    t.begin(kSeries, work);
    std::vector<double> block(expected.size(), 0.0);
    for (int k = 0; k < 2000; ++k) {
      const int band = strays && k % 50 == 0
                           ? static_cast<int>(gen() % AgeBands::kCount)
                           : lo + static_cast<int>(gen() % static_cast<unsigned>(hi - lo + 1));
      const int s = static_cast<int>(gen() % kSeries), sex = static_cast<int>(gen() % 2);
      const double x = std::uniform_real_distribution<double>(0, 3)(gen);
      t.add(s, sex, band, x);
      block[cell(s, sex, band)] += x;
    }
    t.keep();
    if (!strays) CHECK(t.bands_kept() == hi - lo + 1);
    for (int s = 0; s < static_cast<int>(kSeries); ++s)
      for (int sex = 0; sex < 2; ++sex)
        for (int band = 0; band < AgeBands::kCount; ++band)
          REQUIRE(t.at(s, sex, band) == block[cell(s, sex, band)]);
    for (std::size_t c = 0; c < expected.size(); ++c)
      expected[c] += block[c];
    t.add_to(period.data(), 0, 2);  // series in two parts, as threads share them
    t.add_to(period.data(), 2, static_cast<SeriesId>(kSeries));
  }
  CHECK(period == expected);
}

TEST_CASE("a tally with nothing in it keeps nothing and adds nothing", "[tally]") {
  std::vector<double> work;
  Tally t;
  t.begin(3, work);
  t.add(1, 0, 6, 0.0);  // a tally of +0 is no tally
  t.keep();
  CHECK(t.bands_kept() == 0);
  std::vector<double> period(3 * 2 * AgeBands::kCount, 1.5);
  t.add_to(period.data(), 0, 3);
  CHECK(period == std::vector<double>(period.size(), 1.5));
  CHECK(t.at(1, 0, 6) == 0.0);
  Tally never_begun;
  CHECK_THROWS(never_begun.keep());
}
