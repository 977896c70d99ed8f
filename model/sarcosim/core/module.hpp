// The interface every mechanism implements. A module owns its parameters, declares its columns,
// series, events and death causes in attach(), and then only reads and writes population columns.
// It never calls another module; deaths are requested and resolved once per day by the loop.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

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

class StepContext {
 public:
  StepContext(std::int32_t d, const Period& p, const Rng& r, BlockOutput& o)
      : day(d), period(p), rng(r), out_(o) {}
  const std::int32_t day;
  const Period& period;
  const Rng& rng;

  void request_death(std::uint32_t agent, std::uint8_t cause) {
    out_.deaths.push_back({agent, cause});
  }
  void event(std::uint32_t agent, EventTypeId type, float detail = 0) {
    out_.events.push_back({agent, day, type, 0, detail});
  }
  void tally(SeriesId s, int sex, int band, double x = 1) { out_.tally.add(s, sex, band, x); }

 private:
  BlockOutput& out_;
};

class RecordContext {
 public:
  RecordContext(const Period& p, BlockOutput& o) : period(p), out_(o) {}
  const Period& period;
  void tally(SeriesId s, int sex, int band, double x = 1) { out_.tally.add(s, sex, band, x); }

 private:
  BlockOutput& out_;
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
  // One day for the block's agents.
  virtual void step(const Block& block, StepContext& ctx) = 0;
  // End of a period: tally levels and means for the block's agents.
  virtual void record(const Block&, RecordContext&) {}
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
