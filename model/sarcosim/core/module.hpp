// The interface every mechanism implements. A module owns its parameters, declares its columns,
// series, events and death causes in attach(), and then only reads and writes population columns.
// It never calls another module; deaths are requested and resolved once per day by the loop.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/params.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/recording.hpp"
#include "sarcosim/core/rng.hpp"

namespace sarcosim {

// A fixed range of agents. Blocks do not depend on the thread count, so neither do results.
struct Block {
  std::uint32_t begin;
  std::uint32_t end;
  std::uint32_t index;
};

// A recording period: days [first_day, end_day).
struct Period {
  int index;
  std::int32_t first_day;
  std::int32_t end_day;
};

// When the run's loop next asks the modules whether a busy person may go quiet: at the end of
// which day of the period (from 0), per person of the block (core/simulation.cpp: quiet_again).
struct QuietChecks {
  std::int32_t* next_check;
  std::uint32_t first_agent;
};

// What a module's marks kept for the block's people in the period (BusyMarks::keep and
// until_spent with a slot): [slot][position in the block], read where the module moves them.
class KeptSlots {
 public:
  KeptSlots() = default;
  KeptSlots(const std::uint32_t* memo, std::size_t stride, std::uint32_t first_agent)
      : memo_(memo), stride_(stride), first_agent_(first_agent) {}
  bool empty() const { return memo_ == nullptr; }
  std::uint32_t at(int slot, std::uint32_t i) const {
    return memo_[static_cast<std::size_t>(slot) * stride_ + (i - first_agent_)];
  }

 private:
  const std::uint32_t* memo_ = nullptr;
  std::size_t stride_ = 0;
  std::uint32_t first_agent_ = 0;
};

class StepContext {
 public:
  StepContext(std::int32_t d, const Period& p, const Rng& r, std::span<const std::uint32_t> a,
              BlockOutput& o, QuietChecks checks = {})
      : day(d), period(p), rng(r), agents(a), out_(o), checks_(checks) {}
  const std::int32_t day;
  const Period& period;
  const Rng& rng;
  // The block's agents stepped today, in index order (alive at the period's start; check
  // `alive`, deaths happen daily).
  const std::span<const std::uint32_t> agents;

  void request_death(std::uint32_t agent, std::uint8_t cause) {
    out_.deaths.push_back({agent, cause});
  }
  void event(std::uint32_t agent, EventTypeId type, float detail = 0) {
    out_.events.push_back({agent, static_cast<std::uint16_t>(day), type, detail});
  }
  void tally(SeriesId s, int sex, int band, double x = 1) { out_.tally.add(s, sex, band, x); }
  // The agent will be busy through `days` days after today, as far as the caller knows (a stay
  // or a bed rest begun today, as BusyMarks::through would say of it tomorrow; the day after a
  // fall): the loop does not ask the modules whether they may go quiet before then. A wrong guess
  // costs daily steps, never a person's life: quiet days are exact (only sums over days, QALYs
  // and costs, may then be added in other stretches, to the last digit).
  void busy_through(std::uint32_t agent, std::int32_t days) {
    if (!checks_.next_check) return;  // everyone steps daily
    std::int32_t& next = checks_.next_check[agent - checks_.first_agent];
    next = std::max(next, day - period.first_day + days);
  }
  // Whether this period's marks were made (quiet days on): then kept(slot, i) holds what this
  // module's mark_busy() kept in `slot` for person i at the marks (BusyMarks::keep), for a slot
  // the module keeps for everyone it steps (a programme's dropout day).
  bool marks_kept() const { return !kept_.empty(); }
  std::uint32_t kept(int slot, std::uint32_t i) const { return kept_.at(slot, i); }
  // Where the slots of the module about to step are (the run's loop sets this).
  void remember_in(const std::uint32_t* memo, std::size_t stride, std::uint32_t first_agent) {
    kept_ = {memo, stride, first_agent};
  }

 private:
  BlockOutput& out_;
  QuietChecks checks_;
  KeptSlots kept_;
};

// Per agent, the first day to step daily, counted from first_day() (0 .. days() - 1); days() for
// none. Marks are asked for at the start of a period (first_day(): the period's first day) and
// again, mid-period, for busy people (first_day(): the day after the last one stepped), who go
// quiet until the first day a module needs them again (or the period's end).
class BusyMarks {
 public:
  // `hold` (per agent, -1 for none) receives through(): may be null when no one asks.
  BusyMarks(std::int32_t* from, std::int32_t* hold, std::uint32_t first_agent,
            std::int32_t first_day, std::int32_t days)
      : from_(from), hold_(hold), first_(first_agent), first_day_(first_day), days_(days) {}
  std::int32_t first_day() const { return first_day_; }
  std::int32_t days() const { return days_; }
  void now(std::uint32_t i) { from_[i - first_] = 0; }
  // Busy now and surely through day k (counted as from()): a stay or a bed rest with a known
  // end. The next check whether the person may go quiet comes after day k rather than after the
  // usual doubling of busy days (core/simulation.cpp: quiet_again), which would leave people
  // busy for days after a long stay.
  void through(std::uint32_t i, std::int32_t k) {
    now(i);
    if (hold_) hold_[i - first_] = std::max(hold_[i - first_], k);
  }
  void from(std::uint32_t i, std::int32_t day) {
    std::int32_t& f = from_[i - first_];
    f = std::min(f, std::max<std::int32_t>(0, day));
  }
  // From a simulation day rather than a count of days from first_day().
  void from_day(std::uint32_t i, std::int32_t day) { from(i, day - first_day_); }
  // From the first day a hazard budget's segment could be spent at this daily hazard: the day k
  // with segment <= (k + 1) * hazard, in whole quanta (core/hazard_budget.hpp), so exactly: the
  // quiet days before it leave the segment above 0. A hazard of 0 never makes anyone busy.
  void until_spent(std::uint32_t i, HazardBudget budget, double hazard_per_day) {
    until_spent_quanta(i, budget, hazard_quanta(hazard_per_day));
  }
  // The same, keeping the hazard in quanta in the module's slot `slot` (0 .. the module's
  // remembered_hazards() - 1) for its advance_quiet() (QuietContext::marked_quanta).
  void until_spent(std::uint32_t i, HazardBudget budget, double hazard_per_day, int slot) {
    const std::uint32_t h = hazard_quanta(hazard_per_day);
    keep(i, slot, h);
    until_spent_quanta(i, budget, h);
  }
  // Keeps `value` in slot `slot` without marking: the quanta a hazard that changes daily spends
  // over all days(), for advance_quiet() (QuietContext::marked_quanta) of a person who turns out
  // quiet through them; or another value the marks work out for the period that the module's
  // daily steps would work out again (StepContext::kept: a programme's dropout day).
  void keep(std::uint32_t i, int slot, std::uint32_t value) {
    memo_[static_cast<std::size_t>(slot) * memo_stride_ + (i - first_)] = value;
  }
  // The same with the hazard already in quanta (core/hazard_budget.hpp: hazard_quanta).
  void until_spent_quanta(std::uint32_t i, HazardBudget budget, std::uint32_t h) {
    const std::uint32_t left = segment_left(budget);  // >= 1
    if (left > std::uint64_t{h} * static_cast<std::uint32_t>(days_)) return;
    from(i, static_cast<std::int32_t>((left - 1) / h));  // 32-bit division: both below 2^31
  }
  // Where the slots of the module about to mark are (the run's loop sets this).
  void remember_in(std::uint32_t* memo, std::size_t stride) {
    memo_ = memo;
    memo_stride_ = stride;
  }

 private:
  std::int32_t* from_;
  std::int32_t* hold_;
  std::uint32_t first_;
  std::int32_t first_day_;
  std::int32_t days_;
  std::uint32_t* memo_ = nullptr;
  std::size_t memo_stride_ = 0;
};

// Tallies into the period's series, for the block being run.
class TallyContext {
 public:
  TallyContext(const Period& p, BlockOutput& o) : period(p), out_(o) {}
  const Period& period;
  void tally(SeriesId s, int sex, int band, double x = 1) { out_.tally.add(s, sex, band, x); }

 private:
  BlockOutput& out_;
};

// A person alive at a period's end, with their sex and their age band on its last day (worked out
// once for every module's record()).
struct LivingPerson {
  std::uint32_t agent;
  std::uint8_t sex;
  std::uint8_t band;
};

// The end of a period: `living` lists the block's people alive at its end, in index order (so
// tallies add up in the same order as a loop over the block would). In a long run most of a block
// may be dead; a loop over the block testing `alive` would mispredict at every person.
class RecordContext : public TallyContext {
 public:
  RecordContext(const Period& p, std::span<const LivingPerson> alive, BlockOutput& o)
      : TallyContext(p, o), living(alive) {}
  const std::span<const LivingPerson> living;
};

// Quiet days from first_day on (the period's first day, or a day mid-period after busy days):
// each QuietDays entry counts that agent's days from there.
class QuietContext : public TallyContext {
 public:
  QuietContext(const Period& p, std::int32_t first, BlockOutput& o)
      : TallyContext(p, o), first_day(first) {}
  const std::int32_t first_day;
  // A value per day of a person's quiet stretch from first_day (a cost, person-time), tallied as
  // daily steps would tally it: days x per_day at once within one age band, or day by day into
  // each day's band when the stretch crosses into the next.
  void tally_days(SeriesId s, int sex, std::int32_t birth_day, std::int32_t days, double per_day) {
    tally_days<1>({s}, sex, birth_day, days, {per_day});
  }
  // The same for several series at once (a programme's person-time and cost), the bands worked
  // out once. Each series' cells are its own, so each gets the same sums as on its own.
  template <std::size_t N>
  void tally_days(const std::array<SeriesId, N>& s, int sex, std::int32_t birth_day,
                  std::int32_t days, const std::array<double, N>& per_day) {
    const std::int32_t last = first_day + days - 1;
    const int band = AgeBands::at(first_day, birth_day);
    if (band == AgeBands::at(last, birth_day)) {
      for (std::size_t k = 0; k < N; ++k)
        tally(s[k], sex, band, days * per_day[k]);
      return;
    }
    for (std::size_t k = 0; k < N; ++k)
      for (std::int32_t d = first_day; d <= last; ++d)
        tally(s[k], sex, AgeBands::at(d, birth_day), per_day[k]);
  }
  // The hazard, in quanta, that this module's mark_busy() kept in `slot` for quiet person i
  // (BusyMarks::until_spent with a slot): marks are made just before quiet days, from the same
  // state, so it is the hazard advance_quiet() would work out again.
  std::uint32_t marked_quanta(int slot, std::uint32_t i) const { return kept_.at(slot, i); }
  // Where the slots of the module about to move are (the run's loop sets this).
  void remember_in(const std::uint32_t* memo, std::size_t stride, std::uint32_t first_agent) {
    kept_ = {memo, stride, first_agent};
  }

 private:
  KeptSlots kept_;
};

class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;
  // Declare own columns, series, events and death causes.
  virtual void attach(Population& pop, Registry& reg) = 0;
  // Find the shared columns other modules declared (all modules have attached by now).
  virtual void connect(const Population&) {}
  // Initial state of the block's agents (runs in parallel over blocks).
  virtual void init(const Block&, const Rng&) {}
  // Once per period, before any block steps (serial): for decisions across agents.
  virtual void begin_period(const Period&, const Rng&) {}
  // Two-speed stepping (docs/performance.md). At the start of a period each module says, for
  // the block's living agents, from which day on it must step them day by day (BusyMarks): at
  // once for anyone with a short-term state, and from the first day an event budget could run out
  // at the hazard of the period's first day. Until then a person is quiet: advance_quiet() moves
  // them through those days at once, with the rates and hazards of the period's first day, and no
  // event can happen to them. The contract: advance_quiet() leaves exactly the bits that step()
  // would over the same days, so step() too reads rates as of the period's first day (moving them
  // only at events, or in record()), and budgets go through core/hazard_budget.hpp. Results then
  // do not depend on who is quiet (tests/core/test_quiet_periods.cpp). A module that does not know
  // about quiet days keeps the default, which steps everyone daily.
  // Busy people are asked about again mid-period, with busy.first_day() the next day; they are
  // quiet until the first day a module needs them again (or the period's end). So mark_busy() and
  // advance_quiet() count positions (a day of onset, days since a fall) from busy.first_day() and
  // ctx.first_day, and rates from the period's first day.
  // advance_quiet() runs in reverse schedule order, so a module reads the state of the modules
  // before it as of the first quiet day (they have not moved yet), the state its mark_busy()
  // saw. Its own hazards must therefore not read state that modules after it change in their
  // advance_quiet(); such state is updated in record() instead (fractures' mortality ratio).
  virtual void mark_busy(std::span<const std::uint32_t> agents, const Period&,
                         BusyMarks& busy) const {
    for (const std::uint32_t i : agents)
      busy.now(i);
  }
  virtual void advance_quiet(std::span<const QuietDays>, QuietContext&) {}
  // How many daily hazards mark_busy() keeps for advance_quiet() (slots 0 .. n - 1 of
  // BusyMarks::until_spent and QuietContext::marked_quanta), so that they are worked out once a
  // period rather than twice: a person's slot is written whenever the module could make them
  // quiet, and read only for quiet people. A slot may also hold another value of the period that
  // the daily steps read (BusyMarks::keep, StepContext::kept: a programme's dropout day); the
  // marks then write it for everyone those steps read it for.
  virtual int remembered_hazards() const { return 0; }
  // One day for the block's busy agents (ctx.agents).
  virtual void step(const Block& block, StepContext& ctx) = 0;
  // End of a period: tally levels and means for the block's people alive at its end (ctx.living).
  virtual void record(RecordContext&) {}
  // State a module keeps outside population columns, for checkpoints (most keep none).
  virtual std::vector<double> save_extra() const { return {}; }
  virtual void load_extra(const std::vector<double>&) {}
};

// One entry of the daily schedule: a module's name, its parameters and how to make it.
struct ModuleInfo {
  std::string_view name;
  std::span<const ParamSpec> (*params)();
  // A switched-off module still declares its columns (others may read them) but does nothing.
  std::unique_ptr<Module> (*make)(const ParamSet&);
};

// The daily step, in order. Written once here (schedule.cpp); the loop runs exactly this list,
// then resolves deaths, then (at the end of a period) records.
std::span<const ModuleInfo> module_schedule();

}  // namespace sarcosim
