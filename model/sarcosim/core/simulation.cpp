#include "sarcosim/core/simulation.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/parallel.hpp"
#include "sarcosim/core/select.hpp"
#include "sarcosim/population/synthesis.hpp"

namespace sarcosim {

double RunResult::at(std::size_t period, SeriesId s, int sex, int band) const {
  const std::size_t n = registry.series().size();
  return series[((period * n + static_cast<std::size_t>(s)) * 2 + sex) * AgeBands::kCount + band];
}

double RunResult::total(std::size_t period, SeriesId s) const {
  double t = 0;
  for (int sex = 0; sex < 2; ++sex)
    for (int b = 0; b < AgeBands::kCount; ++b)
      t += at(period, s, sex, b);
  return t;
}

namespace {

std::vector<Block> make_blocks(std::size_t n) {
  std::vector<Block> blocks;
  for (std::uint32_t b = 0; static_cast<std::size_t>(b) * kBlockSize < n; ++b) {
    const std::uint32_t begin = b * kBlockSize;
    blocks.push_back(
        {begin, static_cast<std::uint32_t>(std::min<std::size_t>(n, begin + kBlockSize)), b});
  }
  return blocks;
}

std::vector<Period> make_periods(std::int32_t days, std::int32_t length) {
  std::vector<Period> periods;
  for (std::int32_t d = 0; d < days; d += length)
    periods.push_back({static_cast<int>(periods.size()), d, std::min(days, d + length)});
  return periods;
}

// Deaths requested during the day take effect at its end; the first request for an agent wins
// (modules run in schedule order), so competing causes are reconciled here and nowhere else.
void resolve_deaths(BlockOutput& out, const CoreColumns& c, const Registry& reg, std::int32_t day) {
  for (const DeathRequest& r : out.deaths) {
    if (!c.alive[r.agent]) continue;
    c.alive[r.agent] = 0;
    c.death_day[r.agent] = day;
    c.death_cause.set(r.agent, r.cause);
    const int band = AgeBands::at(day, c.birth_day[r.agent]);
    out.tally.add(reg.deaths, c.sex[r.agent], band, 1);
    out.tally.add(reg.cause_series(r.cause), c.sex[r.agent], band, 1);
    out.events.push_back(
        {r.agent, static_cast<std::uint16_t>(day), reg.death_event, static_cast<float>(r.cause)});
  }
  out.deaths.clear();
}

// A traced person: their index, and their place among the traced (the trace's column).
using Traced = std::pair<std::uint32_t, std::size_t>;

// A block's split into busy and quiet people in the period being run. Scratch space of the thread
// that runs the block (by position in the block where per agent), so that it takes memory per
// thread rather than per person.
struct Split {
  std::vector<std::int32_t> busy_from;
  std::vector<QuietDays> quiet;
  std::vector<std::uint32_t> living, busy_agents, busy_today, busy_starts, today, merged;
  std::vector<LivingPerson> living_at_end;
  // Going quiet again mid-period: marks from the next day, each person's next check, the known
  // end of their busy days (BusyMarks::through, -1 for none), and the people due for a check.
  std::vector<std::int32_t> marks, next_check, hold;
  std::vector<std::uint32_t> due;
  // People quiet for some days mid-period, by the day (of the period) they are busy again.
  std::vector<std::vector<std::uint32_t>> back;
  std::vector<double> tally;  // the block's tallies while it runs (Tally::begin)
  // Hazards modules keep from their marks for their quiet days: [slot][position in the block].
  std::vector<std::uint32_t> memo;
  // Profiling only (probe_alone_quiet): the day's living busy people, and one module's marks and
  // kept hazards for them, apart from the run's.
  std::vector<std::uint32_t> probed;
  std::vector<std::int32_t> probe_from;
  std::vector<std::uint32_t> probe_memo;
};

// Where each module's remembered hazards (Module::remembered_hazards) start among a block's slots.
struct MemoSlots {
  std::vector<std::size_t> first;  // per module, in schedule order
  std::size_t count = 0;

  explicit MemoSlots(const std::vector<std::unique_ptr<Module>>& modules) {
    for (const auto& m : modules) {
      first.push_back(count);
      count += static_cast<std::size_t>(m->remembered_hazards());
    }
  }
  std::uint32_t* of(std::size_t k, const Block& b, Split& s) const {
    return s.memo.data() + first[k] * (b.end - b.begin);
  }
};

// From which day each living agent is stepped daily (the earliest any module asks for), its
// quiet days before that, and the busy agents ordered by that day and then by index, so that each
// day's busy agents are a prefix of the list (s.busy_today[t]: how many on day t of the period).
template <class Timed>
void split_busy_quiet(const Block& b, const Period& p,
                      const std::vector<std::unique_ptr<Module>>& modules, const MemoSlots& memo,
                      const CoreColumns& c, bool quiet_periods, bool profile,
                      std::span<const Traced> traced, Split& s, BlockOutput& out, Timed&& timed) {
  const std::int32_t days = p.end_day - p.first_day;
  s.busy_from.assign(b.end - b.begin, quiet_periods ? days : 0);
  // Without a branch: in a long run about half of a block may be dead, in no order.
  s.living.resize(b.end - b.begin);
  std::size_t alive = 0;
  for (std::uint32_t i = b.begin; i < b.end; ++i) {
    s.living[alive] = i;
    alive += c.alive[i];
  }
  s.living.resize(alive);
  s.hold.assign(b.end - b.begin, -1);
  BusyMarks marks(s.busy_from.data(), s.hold.data(), b.begin, p.first_day, days);
  s.memo.resize(memo.count * (b.end - b.begin));
  if (profile) out.made_busy.resize(modules.size(), 0.0);
  auto busy_days = [&] {
    double n = 0;
    for (const std::uint32_t i : s.living)
      n += days - s.busy_from[i - b.begin];
    return n;
  };
  if (quiet_periods)
    for (std::size_t k = 0; k < modules.size(); ++k) {
      const double before = profile ? busy_days() : 0;
      marks.remember_in(memo.of(k, b, s), b.end - b.begin);
      timed(k, kMarkPhase, [&] { modules[k]->mark_busy(s.living, p, marks); });
      if (profile) out.made_busy[k] += busy_days() - before;
    }
  // Traced people step every day, and are never checked for quiet days (a hold to the period's
  // end): their trace shows each day's own values, not a quiet stretch's all on the day it is
  // applied. Quiet days are exact, so this changes none of their values, only sums' order.
  if (quiet_periods)
    for (const auto& [i, k] : traced) {
      s.busy_from[i - b.begin] = 0;
      s.hold[i - b.begin] = days;
    }
  s.quiet.clear();
  s.busy_agents.clear();
  s.busy_today.assign(static_cast<std::size_t>(days), 0);
  std::vector<std::uint32_t>& starts = s.busy_starts;
  starts.assign(static_cast<std::size_t>(days) + 1, 0);
  for (const std::uint32_t i : s.living) {
    const std::int32_t from = s.busy_from[i - b.begin];
    if (from > 0) s.quiet.push_back({i, from});
    ++starts[static_cast<std::size_t>(from)];
    out.busy_total += days - from;
    out.alive_total += days;
  }
  // A counting sort by first busy day (stable: by index within a day).
  std::uint32_t sum = 0;
  for (std::int32_t t = 0; t < days; ++t) {
    sum += starts[static_cast<std::size_t>(t)];
    s.busy_today[static_cast<std::size_t>(t)] = sum;
  }
  s.busy_agents.resize(sum);
  std::uint32_t at = 0;
  for (std::int32_t t = 0; t < days; ++t) {
    const std::uint32_t n = starts[static_cast<std::size_t>(t)];
    starts[static_cast<std::size_t>(t)] = at;
    at += n;
  }
  for (const std::uint32_t i : s.living) {
    const std::int32_t from = s.busy_from[i - b.begin];
    if (from < days) s.busy_agents[starts[static_cast<std::size_t>(from)]++] = i;
  }
  // The first check after the first busy day, or after the known end of the busy days.
  s.next_check.resize(s.busy_from.size());
  for (std::size_t k = 0; k < s.busy_from.size(); ++k)
    s.next_check[k] = std::max(s.busy_from[k], s.hold[k]);
  s.marks.assign(s.busy_from.size(), 0);  // no one marked to leave (-1) yet
  s.back.resize(static_cast<std::size_t>(days));
  for (auto& v : s.back)
    v.clear();
}

// Moves the quiet people through their quiet days, module by module in reverse schedule order:
// each module then reads the state of the modules before it as of the first quiet day, as its
// mark_busy() did (core/module.hpp).
template <class Timed>
void advance_all_quiet(const std::vector<std::unique_ptr<Module>>& modules, const MemoSlots& memo,
                       const Block& b, Split& s, QuietContext& ctx, Timed&& timed) {
  for (std::size_t k = modules.size(); k-- > 0;) {
    ctx.remember_in(memo.of(k, b, s), b.end - b.begin, b.begin);
    timed(k, kQuietPhase, [&] { modules[k]->advance_quiet(s.quiet, ctx); });
  }
}

// std::merge of two lists of agents in index order, into `out` (room for both), choosing each next
// agent with select() (core/select.hpp) where std::merge branches: which list gives it is data
// (the day's busy newcomers fall anywhere among those busy already). Ties take the first list's,
// as std::merge.
void merge_agents(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b,
                  std::uint32_t* out) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint32_t x = a[i], y = b[j];
    const bool from_b = y < x;
    *out++ = select(from_b, y, x);
    j += from_b;
    i += !from_b;
  }
  out = std::copy(a.begin() + static_cast<std::ptrdiff_t>(i), a.end(), out);
  std::copy(b.begin() + static_cast<std::ptrdiff_t>(j), b.end(), out);
}

// Mid-period, after `day`: busy people whose check is due are marked again from the next day, and
// those no module needs daily for a while are moved through those days at once and leave today's
// list: to the period's end, or until the day a module needs them again (an event coming), when
// they come back (Split::back). People stay busy for days after most events (a stay, bed rest, a
// fall), so this spares most of a period's daily steps. A check that finds someone still busy is
// repeated after the known end of their busy days when a module gave one (BusyMarks::through: a
// stay, a bed rest), otherwise after twice as many busy days (1, 2, 4, 8... after the first busy
// day), which bounds its cost. A module that begins such days says so the same day
// (StepContext::busy_through), so that the first check is not spent on the day they begin.
template <class Timed>
void quiet_again(const Block& b, const Period& p, std::int32_t day,
                 const std::vector<std::unique_ptr<Module>>& modules, const MemoSlots& memo,
                 const CoreColumns& c, Split& s, BlockOutput& out, Timed&& timed) {
  const std::int32_t t = day - p.first_day, left = p.end_day - day - 1;
  if (left <= 0) return;
  // Without branches (who is alive and whose check is due are data): each person is written to
  // both lists and counted in each where they belong.
  s.due.resize(s.today.size());
  std::size_t kept = 0, due = 0;
  for (const std::uint32_t i : s.today) {
    const bool alive = c.alive[i];  // the dead leave the list
    s.today[kept] = i;
    s.due[due] = i;
    kept += alive;
    due += alive & (s.next_check[i - b.begin] <= t);
  }
  s.today.resize(kept);
  s.due.resize(due);
  if (s.due.empty()) return;
  for (const std::uint32_t i : s.due) {
    s.marks[i - b.begin] = left;
    s.hold[i - b.begin] = -1;
  }
  BusyMarks marks(s.marks.data(), s.hold.data(), b.begin, day + 1, left);
  for (std::size_t k = 0; k < modules.size(); ++k) {
    marks.remember_in(memo.of(k, b, s), b.end - b.begin);
    timed(k, kMarkPhase, [&] { modules[k]->mark_busy(s.due, p, marks); });
  }
  s.quiet.clear();
  for (const std::uint32_t i : s.due) {
    if (const std::int32_t quiet_days = s.marks[i - b.begin]; quiet_days > 0) {
      s.quiet.push_back({i, quiet_days});
      s.marks[i - b.begin] = -1;  // leaves today's list below
      out.busy_total -= quiet_days;
      if (quiet_days < left) {  // busy again on day t + 1 + quiet_days, checked after it
        const std::int32_t again = t + 1 + quiet_days;
        s.back[static_cast<std::size_t>(again)].push_back(i);
        s.busy_from[i - b.begin] = again;
        s.next_check[i - b.begin] = again;
      }
    } else if (const std::int32_t hold = s.hold[i - b.begin]; hold >= 0) {
      s.next_check[i - b.begin] = t + 1 + hold;  // after the known end
    } else {
      s.next_check[i - b.begin] = t + (t - s.busy_from[i - b.begin] + 1);
    }
  }
  if (s.quiet.empty()) return;
  QuietContext qctx(p, day + 1, out);
  advance_all_quiet(modules, memo, b, s, qctx, timed);
  std::size_t staying = 0;  // without a branch, as above: who goes quiet is data
  for (const std::uint32_t i : s.today) {
    s.today[staying] = i;
    staying += s.marks[i - b.begin] != -1;
  }
  s.today.resize(staying);
}

// Profiling only: for today's busy people (with a day of the period left), asks each module on
// its own whether it would need them tomorrow, in scratch marks that the run never reads. Counts
// in out.alone_quiet[k] the people module k alone would leave quiet: the busy steps a module
// stepping only the busy people it needs would spare (before the cost of their quiet days).
void probe_alone_quiet(const Block& b, const Period& p, std::int32_t day,
                       const std::vector<std::unique_ptr<Module>>& modules, const MemoSlots& memo,
                       const CoreColumns& c, Split& s, BlockOutput& out) {
  const std::int32_t left = p.end_day - day - 1;
  if (left <= 0) return;
  s.probed.clear();
  for (const std::uint32_t i : s.today)
    if (c.alive[i]) s.probed.push_back(i);
  if (s.probed.empty()) return;
  out.alone_quiet.resize(modules.size(), 0.0);
  out.busy_probed += static_cast<double>(s.probed.size());
  s.probe_from.resize(b.end - b.begin);
  s.probe_memo.resize(std::max<std::size_t>(1, memo.count) * (b.end - b.begin));
  for (std::size_t k = 0; k < modules.size(); ++k) {
    for (const std::uint32_t i : s.probed)
      s.probe_from[i - b.begin] = left;
    BusyMarks marks(s.probe_from.data(), nullptr, b.begin, day + 1, left);
    marks.remember_in(s.probe_memo.data(), b.end - b.begin);  // slots 0.. : scratch
    modules[k]->mark_busy(s.probed, p, marks);
    for (const std::uint32_t i : s.probed)
      out.alone_quiet[k] += s.probe_from[i - b.begin] > 0;
  }
}

// The period's end for the block: the people alive at its end (`at_end`, from those alive at its
// start, `living`, in index order, with their sex and age band on its last day), and the framework
// series: person-time lived in the period by the people of `living`, and the people alive at its
// end. One pass; each series is summed in index order.
void end_period(std::span<const std::uint32_t> living, const Period& p, const CoreColumns& c,
                const Registry& reg, BlockOutput& out, std::vector<LivingPerson>& at_end) {
  at_end.clear();
  const double whole = (p.end_day - p.first_day) / kDaysPerYear;  // most people's person-time
  for (const std::uint32_t i : living) {
    const int sex = c.sex[i], band_start = AgeBands::at(p.first_day, c.birth_day[i]);
    if (c.alive[i]) {
      const auto band = static_cast<std::uint8_t>(AgeBands::at(p.end_day - 1, c.birth_day[i]));
      at_end.push_back({i, static_cast<std::uint8_t>(sex), band});
      out.tally.add(reg.alive, sex, band, 1);
      out.tally.add(reg.person_years, sex, band_start, whole);
    } else {
      const std::int32_t until = std::min<std::int32_t>(c.death_day[i], p.end_day);
      out.tally.add(reg.person_years, sex, band_start, (until - p.first_day) / kDaysPerYear);
    }
  }
}

// The people to trace: members of an in-silico cohort first (if asked), then others, each group
// spread evenly over its people in storage order (oldest first), so that a trace spans their ages
// rather than following the oldest; the choice is the same for every run of the same size.
std::vector<std::uint32_t> choose_traced(const Population& pop, std::size_t n, bool cohort_first) {
  n = std::min(n, pop.size());
  std::vector<std::uint32_t> out;
  if (n == 0) return out;  // the default: no list of everyone to build (40 MB at 10 million)
  // m people at even steps through `size` candidates, the j-th of which is at(j).
  auto spread = [&](std::size_t size, std::size_t m, auto at) {
    for (std::size_t k = 0; k < m; ++k)
      out.push_back(at(k * size / m));
  };
  if (cohort_first && pop.has("cohort.member")) {
    const auto member = pop.get_sparse<std::uint8_t>("cohort.member");
    std::vector<std::uint32_t> members, others;
    for (std::uint32_t i = 0; i < pop.size(); ++i)
      (member[i] ? members : others).push_back(i);
    spread(members.size(), std::min(n, members.size()), [&](std::size_t j) { return members[j]; });
    spread(others.size(), n - out.size(), [&](std::size_t j) { return others[j]; });
  } else {
    spread(pop.size(), n, [](std::size_t j) { return static_cast<std::uint32_t>(j); });
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Restores a run from a checkpoint; returns the first period still to run.
int restore(const CheckpointData& cp, RunResult& res,
            std::vector<std::unique_ptr<Module>>& modules) {
  for (const auto& col : res.population.columns()) {
    const auto it = std::find_if(cp.columns.begin(), cp.columns.end(),
                                 [&](auto& c) { return c.first == col.info.name; });
    const std::size_t bytes = res.population.size() * Population::element_size(col.info.type);
    const bool fits = it != cp.columns.end() &&
                      (col.sparse ? col.sparse->load(it->second) : it->second.size() == bytes);
    if (!fits)
      throw InputError("checkpoint: column " + col.info.name + " is missing or of another size");
    if (!col.sparse) std::memcpy(col.data, it->second.data(), bytes);
  }
  if (cp.series.size() != res.series.size())
    throw InputError("checkpoint: its series do not match the scenario's");
  res.series = cp.series;
  res.events = cp.events;
  for (auto& m : modules)
    for (const auto& [name, values] : cp.extras)
      if (name == m->name()) m->load_extra(values);
  return cp.next_period;
}

// Room for the event log of the whole run, extrapolated from the days so far with a margin.
// Pages of a reservation that are never written cost no memory, while growing by doubling would
// copy the whole log with both copies resident (at 10 million people for 30 years, gigabytes).
void reserve_for_run(std::vector<Event>& log, std::size_t adding, std::int32_t days_done,
                     std::int32_t days) {
  const std::size_t need = log.size() + adding;
  if (need <= log.capacity()) return;
  const double per_day = static_cast<double>(need) / std::max<std::int32_t>(days_done, 1);
  log.reserve(std::max(need, static_cast<std::size_t>(1.5 * per_day * days) + 4096));
}

// How many of a block's events fall on each day of the period (every event is of its period).
// A block steps day after day, so its log is in day order; pass_on_in_order relies on it.
void count_events_by_day(BlockOutput& out, const Period& p) {
  out.events_by_day.assign(static_cast<std::size_t>(p.end_day - p.first_day), 0);
  std::int32_t last = p.first_day;
  for (const Event& e : out.events) {
    if (e.day < last || e.day >= p.end_day)
      throw std::logic_error("an event outside its period or out of day order: day " +
                             std::to_string(e.day));
    last = e.day;
    ++out.events_by_day[static_cast<std::size_t>(e.day - p.first_day)];
  }
}

// Hands the period's events to the sink in the log's order (by day, then by block, each block's
// in its own order) through a buffer of at most `room` events, instead of placing them all in one
// array first: at 10 million people that array was a period's events again, about 3 bytes a
// person.
void pass_on_in_order(const std::vector<BlockOutput>& outputs, const Period& p,
                      std::vector<Event>& buffer,
                      const std::function<void(std::span<const Event>)>& sink, std::size_t room) {
  room = std::max<std::size_t>(room, 1);
  buffer.reserve(room);
  buffer.clear();
  std::vector<std::size_t> read(outputs.size(), 0);  // each block's events handed on so far
  for (std::size_t d = 0; d < static_cast<std::size_t>(p.end_day - p.first_day); ++d)
    for (std::size_t b = 0; b < outputs.size(); ++b) {
      const Event* from = outputs[b].events.data() + read[b];
      std::size_t n = outputs[b].events_by_day[d];
      read[b] += n;
      while (n > 0) {
        const std::size_t take = std::min(n, room - buffer.size());
        buffer.insert(buffer.end(), from, from + take);
        from += take;
        n -= take;
        if (buffer.size() == room) {
          sink(buffer);
          buffer.clear();
        }
      }
    }
  if (!buffer.empty()) sink(buffer);
  buffer.clear();
}

// Hands the log so far to the sink and keeps only the room of one period's events.
void pass_on_events(std::vector<Event>& log,
                    const std::function<void(std::span<const Event>)>& sink) {
  if (!log.empty()) sink(log);
  log.clear();
}

void checkpoint_if_due(const Period& p, const RunOptions& o, const RunResult& res,
                       const std::vector<std::unique_ptr<Module>>& modules) {
  const bool every = o.checkpoint_every_days > 0 &&
                     p.end_day / o.checkpoint_every_days > p.first_day / o.checkpoint_every_days;
  const bool stop_after = o.stop_after_days > 0 && p.end_day >= o.stop_after_days;
  const bool now = o.checkpoint_now && o.checkpoint_now->load();
  if (!(every || stop_after || now) || !o.write_checkpoint) return;
  CheckpointView cp;
  cp.next_period = p.index + 1;
  std::vector<std::vector<std::uint8_t>> sparse;  // sparse columns' people and values
  for (const auto& col : res.population.columns()) {
    if (col.sparse) {
      const auto& bytes = sparse.emplace_back(col.sparse->save());
      cp.columns.push_back({col.info.name, {bytes.data(), bytes.size()}});
    } else {
      cp.columns.push_back({col.info.name,
                            {static_cast<const std::uint8_t*>(col.data),
                             res.population.size() * Population::element_size(col.info.type)}});
    }
  }
  cp.series = res.series;
  cp.events = res.events;
  cp.trace = res.trace.values;
  for (const auto& m : modules)
    if (auto extra = m->save_extra(); !extra.empty())
      cp.extras.push_back({std::string(m->name()), std::move(extra)});
  o.write_checkpoint(cp, p.end_day);
  if (stop_after || now) throw Stopped("stopped after day " + std::to_string(p.end_day));
}

}  // namespace

RunResult run_simulation(const Scenario& scenario, const RunOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const ParamSet& params = scenario.params;
  RunResult res;
  res.seed = static_cast<std::uint64_t>(params.integer("run.seed"));
  res.days = static_cast<std::int32_t>(std::llround(params.real("run.years") * kDaysPerYear));
  res.days = std::max<std::int32_t>(res.days, 1);
  res.threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::task_arena arena(res.threads);
  arena.execute([&] {
    res.population = make_population(params, Rng(res.seed),
                                     static_cast<std::size_t>(params.integer("run.agents")));
  });
  const CoreColumns core = CoreColumns::find(res.population);
  const Rng rng =
      Rng(res.seed).keyed_by(core.person);  // each person's own numbers, wherever stored
  res.agents = res.population.size();

  std::vector<std::unique_ptr<Module>> modules;
  for (const ModuleInfo& info : module_schedule())
    modules.push_back(info.make(params));
  arena.execute([&] {  // columns' first values are filled in parallel
    for (auto& m : modules)
      m->attach(res.population, res.registry);
  });
  for (auto& m : modules)
    m->connect(res.population);
  const MemoSlots memo(modules);

  const std::vector<Block> blocks = make_blocks(res.population.size());
  const bool quiet_periods = params.boolean("run.quiet_periods");
  res.periods =
      make_periods(res.days, static_cast<std::int32_t>(params.integer("output.period_days")));
  const std::size_t n_series = res.registry.series().size();
  const std::size_t period_size = n_series * 2 * AgeBands::kCount;
  res.series.assign(res.periods.size() * period_size, 0.0);
  std::vector<BlockOutput> outputs(blocks.size());
  tbb::enumerable_thread_specific<Split> scratch;

  auto for_blocks = [&](auto&& body) {
    arena.execute([&] {
      parallel_chunks(blocks.size(), 1, [&](std::size_t first, std::size_t last) {
        for (std::size_t b = first; b != last; ++b)
          body(blocks[b], outputs[b]);
      });
    });
  };

  for_blocks([&](const Block& b, BlockOutput&) {
    for (auto& m : modules)
      m->init(b, rng);
  });
  res.setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int first_period = 0;
  if (options.resume) first_period = restore(*options.resume, res, modules);
  if (options.event_sink) {
    if (options.write_checkpoint)
      throw std::logic_error("run_simulation: an event sink and checkpoints exclude each other");
    pass_on_events(res.events, options.event_sink);  // those before a checkpoint resumed from
  }

  // Tracing: which people, which columns, and each block's share of the traced people.
  auto& trace = res.trace;
  trace.agents =
      choose_traced(res.population, static_cast<std::size_t>(params.integer("output.trace")),
                    params.boolean("output.trace_cohort"));
  std::vector<Population::ColumnRef> traced_columns;
  for (const auto& col : res.population.columns())
    if (col.info.traced && !trace.agents.empty()) {
      traced_columns.push_back(col);
      trace.variables.push_back(col.info.name);
      trace.units.push_back(col.info.unit);
    }
  const auto days = static_cast<std::size_t>(res.days);
  trace.values.assign(traced_columns.size() * days * trace.agents.size(), 0.0f);
  if (options.resume) {
    if (options.resume->trace.size() != trace.values.size())
      throw InputError("checkpoint: its trace does not match the scenario's");
    trace.values = options.resume->trace;
  }
  std::vector<std::vector<Traced>> traced_in_block(blocks.size());
  for (std::size_t k = 0; k < trace.agents.size(); ++k)
    traced_in_block[trace.agents[k] / kBlockSize].push_back({trace.agents[k], k});
  auto record_trace = [&](const Block& b, std::int32_t day) {
    const std::size_t n = trace.agents.size();
    for (const auto& [agent, k] : traced_in_block[b.index])
      for (std::size_t v = 0; v < traced_columns.size(); ++v)
        trace.values[(v * days + static_cast<std::size_t>(day)) * n + k] =
            static_cast<float>(column_value(traced_columns[v], agent));
  };

  // Without a sink the run keeps its whole log: the period's events go after those before, by
  // day and within a day by block (in each block's order), which is what a stable sort by day of
  // the blocks' logs one after another gives, placed by all threads.
  auto place_in_log = [&](const Period& p) {
    const std::size_t first_event = res.events.size();
    std::size_t new_events = 0;
    for (const BlockOutput& out : outputs)
      new_events += out.events.size();
    reserve_for_run(res.events, new_events, p.end_day, res.days);
    std::size_t at = first_event;
    for (std::size_t d = 0; d < static_cast<std::size_t>(p.end_day - p.first_day); ++d)
      for (BlockOutput& out : outputs)
        at += std::exchange(out.events_by_day[d], at);
    res.events.resize(at);
    for_blocks([&](const Block&, BlockOutput& out) {
      for (const Event& e : out.events)
        res.events[out.events_by_day[static_cast<std::size_t>(e.day - p.first_day)]++] = e;
    });
  };
  std::vector<Event> sink_buffer;  // kept from period to period

  for (const Period& p : res.periods) {
    if (p.index < first_period) continue;  // done before the checkpoint
    if (options.stop && options.stop->load())
      throw Interrupted("run stopped by a signal; no result file written");
    for (auto& m : modules)
      m->begin_period(p, rng);
    for_blocks([&](const Block& b, BlockOutput& out) {
      out.events.clear();
      if (options.profile) out.seconds.resize(modules.size() * kPhases, 0.0);
      auto timed = [&](std::size_t k, Phase phase, auto&& work) {
        if (!options.profile) return work();
        const auto started = std::chrono::steady_clock::now();
        work();
        out.seconds[k * kPhases + phase] +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      };
      Split& s = scratch.local();
      out.tally.begin(n_series, s.tally);
      split_busy_quiet(b, p, modules, memo, core, quiet_periods, options.profile,
                       traced_in_block[b.index], s, out, timed);
      if (!s.quiet.empty()) {
        QuietContext qctx(p, p.first_day, out);
        advance_all_quiet(modules, memo, b, s, qctx, timed);
      }
      // Each day's busy agents in index order (those of earlier days merged with the day's
      // newcomers), so that events come in the same order as when everyone steps daily.
      s.today.clear();
      for (std::int32_t day = p.first_day; day < p.end_day; ++day) {
        const auto t = static_cast<std::size_t>(day - p.first_day);
        const std::uint32_t* newcomers = s.busy_agents.data() + (t ? s.busy_today[t - 1] : 0);
        const std::uint32_t* newcomers_end = s.busy_agents.data() + s.busy_today[t];
        auto join = [&](const std::uint32_t* first, const std::uint32_t* last) {
          if (first == last) return;
          s.merged.resize(s.today.size() + static_cast<std::size_t>(last - first));
          merge_agents(s.today, {first, last}, s.merged.data());
          s.today.swap(s.merged);
        };
        join(newcomers, newcomers_end);
        if (std::vector<std::uint32_t>& back = s.back[t]; !back.empty()) {
          std::sort(back.begin(), back.end());
          for (const std::uint32_t i : back)
            s.marks[i - b.begin] = 0;  // no longer leaving
          join(back.data(), back.data() + back.size());
        }
        const std::span<const std::uint32_t> today(s.today);
        StepContext ctx(day, p, rng, today, out,
                        quiet_periods ? QuietChecks{s.next_check.data(), b.begin} : QuietChecks{});
        if (!today.empty())
          for (std::size_t k = 0; k < modules.size(); ++k) {
            if (quiet_periods) ctx.remember_in(memo.of(k, b, s), b.end - b.begin, b.begin);
            timed(k, kStepPhase, [&] { modules[k]->step(b, ctx); });
          }
        resolve_deaths(out, core, res.registry, day);
        if (!traced_in_block[b.index].empty()) record_trace(b, day);
        if (quiet_periods && options.profile) {
          const auto started = std::chrono::steady_clock::now();
          probe_alone_quiet(b, p, day, modules, memo, core, s, out);
          out.probe_seconds +=
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        }
        if (quiet_periods) quiet_again(b, p, day, modules, memo, core, s, out, timed);
      }
      end_period(s.living, p, core, res.registry, out, s.living_at_end);
      RecordContext rctx(p, s.living_at_end, out);
      for (std::size_t k = 0; k < modules.size(); ++k)
        timed(k, kRecordPhase, [&] { modules[k]->record(rctx); });
      res.population.settle(b.begin, b.end);
      out.tally.keep();
      count_events_by_day(out, p);
    });
    // Reduce in block order: the same sums, bit for bit, for any thread count.
    double* dst = res.series.data() + static_cast<std::size_t>(p.index) * period_size;
    // Each thread sums some of the series, every cell over the blocks in block order.
    arena.execute([&] {
      parallel_chunks(n_series, 8, [&](std::size_t first, std::size_t last) {
        for (const BlockOutput& out : outputs)
          out.tally.add_to(dst, static_cast<SeriesId>(first), static_cast<SeriesId>(last));
      });
    });
    if (options.event_sink) {
      pass_on_in_order(outputs, p, sink_buffer, options.event_sink, options.event_sink_batch);
    } else {
      place_in_log(p);
    }
    if (options.progress) options.progress(static_cast<double>(p.end_day) / res.days);
    if (p.end_day < res.days) checkpoint_if_due(p, options, res, modules);
  }
  if (options.profile) {
    for (std::size_t k = 0; k < modules.size(); ++k) {
      RunResult::ModuleSeconds m{std::string(modules[k]->name())};
      for (const BlockOutput& out : outputs)
        for (int ph = 0; ph < kPhases && k * kPhases + ph < out.seconds.size(); ++ph)
          m.phase[ph] += out.seconds[k * kPhases + ph];
      res.module_seconds.push_back(std::move(m));
      double made = 0;
      for (const BlockOutput& out : outputs)
        made += k < out.made_busy.size() ? out.made_busy[k] : 0.0;
      res.module_busy.push_back({std::string(modules[k]->name()), made});
      double alone = 0;
      for (const BlockOutput& out : outputs)
        alone += k < out.alone_quiet.size() ? out.alone_quiet[k] : 0.0;
      res.module_alone_quiet.push_back({std::string(modules[k]->name()), alone});
    }
  }
  for (const BlockOutput& out : outputs) {
    res.busy_agent_days += out.busy_total;
    res.agent_days += out.alive_total;
    res.busy_probed += out.busy_probed;
    res.probe_seconds += out.probe_seconds;
  }
  res.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

void check_replicate_seeds(const Scenario& scenario, int replicates) {
  const ParamSpec& spec = *dictionary().find("run.seed");
  const auto seed = scenario.params.integer("run.seed");
  const auto max = static_cast<long long>(spec.max);
  if (seed <= max - (replicates - 1)) return;
  throw InputError("run.seed = " + std::to_string(seed) + " with " + std::to_string(replicates) +
                   " replicates: their seeds " + std::to_string(seed) + " + 0.." +
                   std::to_string(replicates - 1) + " must stay within the allowed range [" +
                   std::to_string(static_cast<long long>(spec.min)) + ", " + std::to_string(max) +
                   "]; use a seed of at most " + std::to_string(max - (replicates - 1)));
}

std::vector<RunResult> run_replicates(const Scenario& scenario, int replicates,
                                      const RunOptions& options) {
  check_replicate_seeds(scenario, replicates);
  std::vector<RunResult> runs;
  const auto seed = scenario.params.integer("run.seed");
  for (int r = 0; r < replicates; ++r) {
    Scenario sc = scenario;
    sc.params.set("run.seed", {static_cast<double>(seed + r), {}, "replicate"});
    RunOptions opt = options;
    if (options.progress)
      opt.progress = [&](double done) { options.progress((r + done) / replicates); };
    // Later replicates' events are dropped as they come, so no log is ever held for them.
    if (r > 0) opt.event_sink = [](std::span<const Event>) {};
    runs.push_back(run_simulation(sc, opt));
    if (r > 0) {
      runs.back().population = Population(0);
      runs.back().events = std::vector<Event>();
      runs.back().trace = {};
    }
  }
  return runs;
}

}  // namespace sarcosim
