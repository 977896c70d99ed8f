// Simulation days kept in 16 bits: half the memory of an int32, with the same values wherever the
// model reads them. Both types read and are assigned as an int32, so module code compares and
// subtracts days as before, and the result file holds the int32 days (their Coding, used by
// io/result_file.cpp), the same as when these columns were int32.
//
// Day16, for "the day of the last ..." and "the day from which ...": runs last at most
// kMaxRunYears (54,788 days, core/recording.hpp), so every day of a run, and the day before it
// (-1), has its own code; two more codes stand for "never" (state::kNever, long before the run)
// and "not in the run" (kAfterRun, the same as kNotDead: after its end).
//
// BirthDay16, for the day of birth: up to 65,535 days (179 years) before the start; people are at
// most 120 years old when a run starts (population/synthesis.cpp).
#pragma once

#include <cstdint>
#include <stdexcept>

#include "sarcosim/core/column_type.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

class Day16 {
 public:
  static constexpr std::int32_t kAfterRun = INT32_MAX;
  static constexpr std::int32_t kFirst = -1;  // the earliest day with its own code
  static constexpr std::int32_t kLast = UINT16_MAX - 3;

  constexpr Day16() = default;                               // never
  constexpr Day16(std::int32_t day) : code_(encode(day)) {}  // NOLINT: reads as a day
  constexpr operator std::int32_t() const { return decode(code_); }
  // Tests on the codes, without decoding: for the passes over everyone.
  constexpr bool never() const { return code_ == kNeverCode; }
  constexpr bool is(Day16 day) const { return code_ == day.code_; }

 private:
  static constexpr std::uint16_t kNeverCode = 0, kAfterRunCode = UINT16_MAX;
  // Days before kFirst are "never" and days after kLast "not in the run": runs never reach them.
  static constexpr std::uint16_t encode(std::int32_t day) {
    if (day < kFirst) return kNeverCode;
    if (day > kLast) return kAfterRunCode;
    return static_cast<std::uint16_t>(day - kFirst + 1);
  }
  // Without branches: the model reads these columns for everyone at every period's end.
  static constexpr std::int32_t decode(std::uint16_t code) {
    const std::int32_t day = std::int32_t{code} + kFirst - 1;
    const std::int32_t past = code == kNeverCode ? state::kNever : day;
    return code == kAfterRunCode ? kAfterRun : past;
  }
  static double value_of(std::uint16_t code) { return decode(code); }

  std::uint16_t code_ = kNeverCode;

 public:
  static constexpr Coding kCoding{ColumnType::I32, &value_of};
};

class BirthDay16 {
 public:
  static constexpr std::int32_t kEarliest = -UINT16_MAX;

  constexpr BirthDay16() = default;
  // Written once per person, where people are made (population/synthesis.cpp, which asserts the
  // oldest fit); a birth during a run would need another type, and is refused here.
  constexpr BirthDay16(std::int32_t day)  // NOLINT: reads as a day
      : days_before_(static_cast<std::uint16_t>(-day)) {
    if (day > 0 || day < kEarliest) throw std::logic_error("birth day outside BirthDay16's range");
  }
  constexpr operator std::int32_t() const { return -std::int32_t{days_before_}; }

 private:
  static double value_of(std::uint16_t code) { return -static_cast<double>(code); }

  std::uint16_t days_before_ = 0;

 public:
  static constexpr Coding kCoding{ColumnType::I32, &value_of};
};

static_assert(Coded16Value<Day16> && Coded16Value<BirthDay16>);
static_assert(Day16(state::kNever) == state::kNever &&
              Day16(Day16::kAfterRun) == Day16::kAfterRun && Day16(-1) == -1 && Day16(0) == 0 &&
              Day16(Day16::kLast) == Day16::kLast);
static_assert(BirthDay16(0) == 0 && BirthDay16(-1) == -1 &&
              BirthDay16(BirthDay16::kEarliest) == BirthDay16::kEarliest);

}  // namespace sarcosim
