// What a run records: time series by sex and age band (tallied per block, reduced in block order
// so sums are bit-identical for any thread count), an event log, and death causes. Modules
// declare their series, event types and causes in attach(); the output writer needs no changes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sarcosim/core/day16.hpp"
#include "sarcosim/core/day_of_age_table.hpp"

namespace sarcosim {

// Age bands for all series: <50, 50-54, ..., 95-99, 100+.
struct AgeBands {
  static constexpr int kCount = 12;
  static int of(double age_years) {
    if (age_years < 50) return 0;
    const int b = 1 + static_cast<int>((age_years - 50) / 5);
    return b < kCount ? b : kCount - 1;
  }
  // of(age_years(day, birth_day)), read from a table by day of age: the same band without two
  // divisions, for every person and period. Always inline: called out of line (GCC's choice in
  // some passes) it cost 19 M instructions in 2.6 G.
  [[gnu::always_inline]] static int at(std::int32_t day, std::int32_t birth_day) {
    static const BasicDayOfAgeTable<std::uint8_t> table(
        [](double age) { return static_cast<std::uint8_t>(of(age)); });
    return table(day, birth_day);
  }
  static std::vector<std::string> labels();
};

enum class SeriesKind {
  Count,  // events summed over the period (deaths, falls)
  Level,  // agents in a state at the end of the period (alive, sarcopenic)
  Mean,   // a value summed over living agents at the end of the period, written as the mean
};

inline const char* to_string(SeriesKind k) {
  return k == SeriesKind::Count ? "count" : k == SeriesKind::Level ? "level" : "mean";
}

struct SeriesSpec {
  std::string name;
  std::string unit;
  std::string description;
  SeriesKind kind;
};

using SeriesId = int;
using EventTypeId = std::uint16_t;

struct EventTypeSpec {
  std::string name;
  std::string detail;  // what the event's detail value means
};

// One entry of the event log, which holds about 2.5 a person-year (gigabytes in a long run of
// millions): 12 bytes. The day fits in 16 bits because runs last at most kMaxRunYears.
struct Event {
  std::uint32_t agent;
  std::uint16_t day;
  EventTypeId type;
  float detail = 0;
};
inline constexpr double kMaxRunYears = 150;  // longer than any life
static_assert(kMaxRunYears * 365.25 < 65535, "an event's day must fit in 16 bits");
static_assert(kMaxRunYears * 365.25 < Day16::kLast, "every day of a run must have a Day16 code");
static_assert(sizeof(Event) == 12);

class Registry {
 public:
  Registry();
  SeriesId add_series(SeriesSpec spec);
  EventTypeId add_event_type(EventTypeSpec spec);
  // A cause of death; also adds its series "deaths_<name>". Cause 0 is "alive".
  std::uint8_t add_death_cause(const std::string& name, const std::string& description);

  const std::vector<SeriesSpec>& series() const { return series_; }
  const std::vector<EventTypeSpec>& event_types() const { return events_; }
  const std::vector<std::string>& death_causes() const { return causes_; }
  SeriesId cause_series(std::uint8_t cause) const { return cause_series_[cause]; }
  SeriesId find_series(const std::string& name) const;  // -1 if absent

  // Series every run has, tallied by the framework.
  SeriesId alive, deaths, person_years;
  EventTypeId death_event;

 private:
  std::vector<SeriesSpec> series_;
  std::vector<EventTypeSpec> events_;
  std::vector<std::string> causes_;
  std::vector<SeriesId> cause_series_;
};

// One block's tallies for one period, [series][sex][band]. While the block runs they go to a
// full table that its thread lends (`begin`); when it is done, only the bands with a tally are
// kept (`keep`). People are stored by age, so a block's people span one or two of the twelve bands:
// at 145 series it keeps 2-5 KB instead of 28 KB (7 bytes a person). The cells not kept are 0, and
// adding 0 changes no sum, so the period's sums are the same, bit for bit.
class Tally {
 public:
  // Starts the block's period, tallying into `work` (zeroed here): a thread's table, which must
  // outlive `keep()`.
  void begin(std::size_t n_series, std::vector<double>& work);
  void add(SeriesId s, int sex, int band, double x) {
    work_[row(s, sex) * AgeBands::kCount + static_cast<std::size_t>(band)] += x;
  }
  // Ends the block's period: keeps the bands from the lowest to the highest with a cell that is not
  // +0 (bit for bit), and lets go of the thread's table.
  void keep();
  // Adds series [first, last) to a period's tallies laid out [series][sex][band].
  void add_to(double* period, SeriesId first, SeriesId last) const;
  // One cell's tally (0 outside the bands kept).
  double at(SeriesId s, int sex, int band) const;
  int bands_kept() const { return hi_ - lo_ + 1; }

 private:
  static std::size_t row(SeriesId s, int sex) {
    return static_cast<std::size_t>(s) * 2 + static_cast<std::size_t>(sex);
  }
  std::size_t width() const { return static_cast<std::size_t>(bands_kept()); }
  double* work_ = nullptr;
  std::size_t n_series_ = 0;
  int lo_ = 0, hi_ = -1;  // no band kept
  std::vector<double> kept_;
};

struct DeathRequest {
  std::uint32_t agent;
  std::uint8_t cause;
};

// An agent's quiet days, counted from a given first day (core/module.hpp).
struct QuietDays {
  std::uint32_t agent;
  std::int32_t days;
};

// Where a module's time goes when profiling: marking who is busy (at period starts and again
// mid-period), quiet days, daily steps of the busy, and the period's records.
enum Phase { kMarkPhase, kQuietPhase, kStepPhase, kRecordPhase, kPhases };
inline constexpr const char* kPhaseNames[kPhases] = {"mark", "quiet", "busy steps", "record"};

// Everything one block produces in one period.
struct BlockOutput {
  Tally tally;
  std::vector<Event> events;
  std::vector<std::size_t> events_by_day;  // the period's events per day, then where they go
  std::vector<DeathRequest> deaths;        // this day's requests, resolved at the end of the day
  std::vector<double> seconds;    // per module and Phase, when profiling (see RunOptions::profile)
  std::vector<double> made_busy;  // per module, when profiling
  // When profiling: busy agent-days followed by another day of the period, and of those, per
  // module, the days after which that module alone would leave the person quiet the next day.
  double busy_probed = 0;
  std::vector<double> alone_quiet;
  double probe_seconds = 0;  // the asking itself, which no run without profiling does
  double busy_total = 0, alive_total = 0;
};

}  // namespace sarcosim
