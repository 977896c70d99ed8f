// Counting people into count series in a record() pass without a branch or a store per person.
// `if (flag) ctx.tally(series, sex, band)` mispredicts at about the rate the flag is true (a third
// of people eat less than 0.8 g/kg of protein) and chains each person's add to the last one's
// through memory. ctx.living comes in index order, which is age order, so the age band changes a
// few times per block: each series keeps both sexes' counts in one 64-bit register (a 32-bit
// half per sex) and adds them to the tally when the band changes and at the end. A count is a
// whole number, so the tally is the same double, bit for bit, whatever the order of adding.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "sarcosim/core/module.hpp"

namespace sarcosim {

template <std::size_t N>
class BandCounts {
 public:
  BandCounts(TallyContext& ctx, const std::array<SeriesId, N>& series)
      : ctx_(ctx), series_(series) {}
  BandCounts(const BandCounts&) = delete;
  BandCounts& operator=(const BandCounts&) = delete;

  // The person counted next (calls to count() until the next person()).
  void person(int sex, int band) {
    if (band != band_) flush(band);
    shift_ = 32 * static_cast<unsigned>(sex);
  }
  // Counts the person into series k if `yes`.
  void count(std::size_t k, bool yes) { n_[k] += std::uint64_t{yes} << shift_; }
  // Adds the last band's counts to the tally; call once after the last person.
  void finish() { flush(-1); }

 private:
  void flush(int next_band) {
    for (std::size_t k = 0; k < N; ++k) {
      if (const auto men = static_cast<std::uint32_t>(n_[k])) ctx_.tally(series_[k], 0, band_, men);
      if (const auto women = static_cast<std::uint32_t>(n_[k] >> 32))
        ctx_.tally(series_[k], 1, band_, women);
      n_[k] = 0;
    }
    band_ = next_band;
  }

  TallyContext& ctx_;
  std::array<SeriesId, N> series_;
  std::array<std::uint64_t, N> n_{};
  int band_ = -1;
  unsigned shift_ = 0;
};

// Counts people into one series per bit of a mask (the conditions a person has), a band at a
// time, without a loop over the bits set (whose exit mispredicts at nearly every person): a table
// spreads each byte of the mask to the bytes of a 64-bit word, which add up in registers, a byte
// per bit and sex, and are carried into 32-bit counts before any byte can overflow (255 people).
template <int Bits>
class BandBitCounts {
  static_assert(Bits > 0 && Bits <= 16, "two bytes of mask at most");

 public:
  // series[b]: the series of bit b (an array of exactly Bits, checked at compile time).
  BandBitCounts(TallyContext& ctx, const SeriesId (&series)[Bits]) : ctx_(ctx) {
    std::copy_n(series, Bits, series_.begin());
  }
  BandBitCounts(const BandBitCounts&) = delete;
  BandBitCounts& operator=(const BandBitCounts&) = delete;

  // Counts a person into the series of each bit set in `mask`.
  void person(int sex, int band, std::uint16_t mask) {
    if (band != band_) flush(band);
    if (++in_bytes_ == 256) carry();
    const std::uint64_t low = kSpread[mask & 0xFF], high = kSpread[mask >> 8];
    const std::uint64_t women = 0 - static_cast<std::uint64_t>(sex);  // all ones for sex 1
    men_low_ += low & ~women;
    men_high_ += high & ~women;
    women_low_ += low & women;
    women_high_ += high & women;
  }
  // Adds the last band's counts to the tally; call once after the last person.
  void finish() { flush(-1); }

 private:
  static constexpr std::array<std::uint64_t, 256> kSpread = [] {
    std::array<std::uint64_t, 256> t{};
    for (unsigned byte = 0; byte < 256; ++byte)
      for (unsigned bit = 0; bit < 8; ++bit)
        if (byte >> bit & 1) t[byte] |= std::uint64_t{1} << (8 * bit);
    return t;
  }();

  void carry() {
    for (int b = 0; b < Bits; ++b) {
      const unsigned shift = 8 * static_cast<unsigned>(b % 8);
      counts_[0][b] += static_cast<std::uint32_t>((b < 8 ? men_low_ : men_high_) >> shift & 0xFF);
      counts_[1][b] +=
          static_cast<std::uint32_t>((b < 8 ? women_low_ : women_high_) >> shift & 0xFF);
    }
    men_low_ = men_high_ = women_low_ = women_high_ = 0;
    in_bytes_ = 1;  // the person about to be added
  }
  void flush(int next_band) {
    carry();
    for (int sex = 0; sex < 2; ++sex)
      for (int b = 0; b < Bits; ++b)
        if (std::uint32_t& n = counts_[sex][b]) {
          ctx_.tally(series_[static_cast<std::size_t>(b)], sex, band_, n);
          n = 0;
        }
    band_ = next_band;
    in_bytes_ = 0;
  }

  TallyContext& ctx_;
  std::array<SeriesId, Bits> series_{};
  std::uint32_t counts_[2][Bits] = {};
  std::uint64_t men_low_ = 0, men_high_ = 0, women_low_ = 0, women_high_ = 0;
  int band_ = -1;
  int in_bytes_ = 0;  // people added to the bytes since they were last carried
};

}  // namespace sarcosim
