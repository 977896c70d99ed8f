// Tally: a block's tallies kept for its own age bands, and added to a period's in full.
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

TEST_CASE("a tally keeps the bands it is given and widens for others, losing nothing", "[tally]") {
  // Two blocks tally the same cells as a full [series][sex][band] table would, in the same order.
  std::mt19937 gen(7);
  std::vector<double> expected(kSeries * 2 * AgeBands::kCount, 0.0);
  std::vector<double> period(expected.size(), 0.0);
  for (const auto& [lo, hi] : {std::pair{4, 5}, std::pair{0, 11}, std::pair{7, 7}}) {
    Tally t;
    t.reset(kSeries, lo, hi);
    std::vector<double> block(expected.size(), 0.0);
    for (int k = 0; k < 2000; ++k) {
      // Mostly in [lo, hi], now and then anywhere (a person out of the block's age order).
      const int band = k % 50 == 0
                           ? static_cast<int>(gen() % AgeBands::kCount)
                           : lo + static_cast<int>(gen() % static_cast<unsigned>(hi - lo + 1));
      const int s = static_cast<int>(gen() % kSeries), sex = static_cast<int>(gen() % 2);
      const double x = std::uniform_real_distribution<double>(0, 3)(gen);
      t.add(s, sex, band, x);
      block[cell(s, sex, band)] += x;
    }
    for (int s = 0; s < static_cast<int>(kSeries); ++s)
      for (int sex = 0; sex < 2; ++sex)
        for (int band = 0; band < AgeBands::kCount; ++band)
          CHECK(t.at(s, sex, band) == block[cell(s, sex, band)]);
    for (std::size_t c = 0; c < expected.size(); ++c)
      expected[c] += block[c];
    t.add_to(period.data(), 0, 2);  // series in two parts, as threads share them
    t.add_to(period.data(), 2, static_cast<SeriesId>(kSeries));
  }
  CHECK(period == expected);
}

TEST_CASE("a tally refuses age bands that do not exist", "[tally]") {
  Tally t;
  CHECK_THROWS(t.reset(2, 3, 2));
  CHECK_THROWS(t.reset(2, 0, AgeBands::kCount));
  t.reset(2, 3, 3);
  CHECK_THROWS(t.add(0, 0, AgeBands::kCount, 1));
  CHECK_THROWS(t.add(0, 0, -1, 1));
}
