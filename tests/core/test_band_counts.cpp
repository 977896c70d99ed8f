// BandCounts and BandBitCounts: people counted in registers a band at a time give the same
// tallies, bit for bit, as one tally per person counted.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "sarcosim/core/band_counts.hpp"

using namespace sarcosim;

namespace {

struct Person {
  int sex, band;
  std::uint16_t mask;
};

// Bands in age order as records see them (non-increasing), with runs longer than 255 people of
// one band so that BandBitCounts carries its bytes, and a stray band now and then.
std::vector<Person> people(std::mt19937& gen, std::size_t n) {
  std::vector<Person> out;
  int band = AgeBands::kCount - 1;
  for (std::size_t k = 0; k < n; ++k) {
    if (gen() % 700 == 0 && band > 0) --band;
    const int b = gen() % 97 == 0 ? static_cast<int>(gen() % AgeBands::kCount) : band;
    out.push_back({static_cast<int>(gen() % 2), b, static_cast<std::uint16_t>(gen() & gen())});
  }
  return out;
}

void require_same(const Tally& a, const Tally& b, int series) {
  for (int s = 0; s < series; ++s)
    for (int sex = 0; sex < 2; ++sex)
      for (int band = 0; band < AgeBands::kCount; ++band)
        REQUIRE(a.at(s, sex, band) == b.at(s, sex, band));
}

}  // namespace

TEST_CASE("counts kept in registers by band are the tallies of one person at a time", "[tally]") {
  std::mt19937 gen(11);
  const std::vector<Person> all = people(gen, 5000);
  const Period p{0, 0, 30};
  std::vector<double> work_a, work_b;
  BlockOutput plain, counted;
  plain.tally.begin(3, work_a);
  counted.tally.begin(3, work_b);
  TallyContext by_person(p, plain), by_band(p, counted);
  {
    BandCounts<3> counts(by_band, {0, 1, 2});
    for (const Person& x : all) {
      const bool flags[3] = {(x.mask & 1) != 0, (x.mask & 6) == 6, x.mask % 7 == 0};
      counts.person(x.sex, x.band);
      for (std::size_t k = 0; k < 3; ++k) {
        counts.count(k, flags[k]);
        if (flags[k]) by_person.tally(static_cast<SeriesId>(k), x.sex, x.band);
      }
    }
    counts.finish();
  }
  plain.tally.keep();
  counted.tally.keep();
  require_same(plain.tally, counted.tally, 3);
  CHECK(counted.tally.at(0, 1, AgeBands::kCount - 1) > 0);  // something was counted
}

TEST_CASE("people counted by the bits of a mask are the tallies of each bit set", "[tally]") {
  std::mt19937 gen(12);
  const std::vector<Person> all = people(gen, 6000);
  const Period p{0, 0, 30};
  constexpr int kBits = 13;
  const SeriesId series[kBits] = {12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};  // any order
  std::vector<double> work_a, work_b;
  BlockOutput plain, counted;
  plain.tally.begin(kBits, work_a);
  counted.tally.begin(kBits, work_b);
  TallyContext by_person(p, plain), by_band(p, counted);
  BandBitCounts<kBits> held(by_band, series);
  for (const Person& x : all) {
    const std::uint16_t mask = x.mask & ((1u << kBits) - 1);
    held.person(x.sex, x.band, mask);
    for (int b = 0; b < kBits; ++b)
      if (mask >> b & 1) by_person.tally(series[b], x.sex, x.band);
  }
  held.finish();
  plain.tally.keep();
  counted.tally.keep();
  require_same(plain.tally, counted.tally, kBits);
}

TEST_CASE("a bit held by more than 255 people of a band is carried, not wrapped", "[tally]") {
  const Period p{0, 0, 30};
  SeriesId series[16];
  for (int b = 0; b < 16; ++b)
    series[b] = b;
  std::vector<double> work;
  BlockOutput out;
  out.tally.begin(16, work);
  TallyContext ctx(p, out);
  BandBitCounts<16> held(ctx, series);
  for (int k = 0; k < 1000; ++k)
    held.person(k % 2, 3, 0x8001);
  held.finish();
  out.tally.keep();
  CHECK(out.tally.at(15, 0, 3) == 500);  // the sixteenth bit too
  CHECK(out.tally.at(15, 1, 3) == 500);
  CHECK(out.tally.at(0, 1, 3) == 500);
  CHECK(out.tally.at(7, 1, 3) == 0);
}
