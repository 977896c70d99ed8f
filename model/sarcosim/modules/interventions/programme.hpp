// What every intervention programme has in common: eligibility by age and sex (plus the
// programme's own rule), start and end dates, uptake, adherence, dropout, places per year,
// duration per person, and costs. A programme acts only through the effect columns
// (shared_state.hpp): on physiology or hazards, never on outcomes. The effects are tables by
// enrolment mask, so enrolling or leaving only sets or clears the programme's bit.
//
// Two kinds of enrolment:
// - offered: at the start of each recording period, eligible people are offered a place; those
//   who accept are enrolled in the order of a random priority until the period's places run out;
// - triggered: checked every day (during a hospital stay, after a hip fracture...); people leave
//   when the trigger ends, and may be enrolled again at the next trigger.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sarcosim/core/module.hpp"

namespace sarcosim {

struct ProgrammeDefaults {
  const char* name;  // parameter section, series suffix, random streams
  int bit;           // bit in interventions.enrolled
  bool triggered;
  double uptake, adherence, dropout_rate, places_per_year, duration_days, age_min, age_max;
  double cost_per_year, cost_per_enrolment;
  const char* uptake_source;
  const char* adherence_source;
  const char* cost_source;
};

// The common parameters of a programme followed by its own (effect) parameters.
std::span<const ParamSpec> programme_params(const ProgrammeDefaults& d,
                                            std::initializer_list<ParamSpec> own);

class Programme : public Module {
 public:
  Programme(const ProgrammeDefaults& d, const ParamSet& p);
  std::string_view name() const override { return name_; }
  void attach(Population& pop, Registry& reg) override;
  void connect(const Population& pop) override;
  void begin_period(const Period& period, const Rng& rng) override;
  void mark_busy(std::span<const std::uint32_t> agents, const Period& period,
                 BusyMarks& busy) const override;
  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override;
  // Offered programmes with dropout keep each enrolled person's dropout day of the period.
  int remembered_hazards() const override { return keeps_dropout_day() ? 1 : 0; }
  void step(const Block& block, StepContext& ctx) override;
  void record(RecordContext& ctx) override;
  std::vector<double> save_extra() const override { return {places_left_}; }
  void load_extra(const std::vector<double>& v) override {
    if (v.size() == 1) places_left_ = v[0];
  }

 protected:
  // The programme's own eligibility rule, beyond alive, age, sex and dates.
  virtual bool eligible(std::uint32_t i, std::int32_t day) const = 0;
  // Adds the programme's effects to the effect tables' entry of an enrolment mask (one that
  // includes this programme); programmes add theirs in module order.
  virtual void apply(std::uint16_t mask) = 0;
  // Scales an effect that is `full` at full adherence: 1 - adherence * (1 - full).
  double scaled(double full) const { return 1.0 - adherence_ * (1.0 - full); }

  const ParamSet& params_;
  std::string name_;
  double adherence_;
  CoreColumns core_{};
  // Shared state programmes read to decide eligibility.
  std::int16_t* since_discharge_ = nullptr;
  std::uint8_t *care_home_ = nullptr, *sarcopenia_ = nullptr;
  Sparse<std::int16_t> days_left_;
  Sparse<std::uint8_t> disuse_;
  Day16* last_hip_ = nullptr;
  // Effect tables, by enrolment mask.
  float *training_ = nullptr, *protein_ = nullptr, *bedbound_ = nullptr, *disuse_mass_ = nullptr,
        *fall_ = nullptr, *hip_ = nullptr, *recovery_ = nullptr;

 private:
  bool may_enrol(std::uint32_t i, std::int32_t day) const;
  void mark_dropouts(std::span<const std::uint32_t> agents, const Period& p, BusyMarks& busy) const;
  std::int32_t dropout_from(const Period& p) const { return std::max(p.first_day, start_); }
  bool keeps_dropout_day() const { return enabled_ && !triggered_ && dropout_daily_ > 0; }
  static constexpr int kDropoutSlot = 0;
  std::int32_t dropout_day(double u, std::int32_t from, std::int32_t end) const;
  bool drops_out(std::uint32_t i, const StepContext& ctx) const;
  void enrol(std::uint32_t i, std::int32_t day);
  void leave(std::uint32_t i);

  int bit_;
  bool triggered_, enabled_;
  std::int32_t start_, end_;
  double uptake_, dropout_daily_;
  double log_stay_daily_;  // log(1 - dropout_daily_): a waiting time's scale
  double places_per_year_;
  std::int32_t duration_;
  double age_min_, age_max_;
  int sex_;
  double cost_daily_, cost_enrolment_;
  double places_left_ = 0;  // carried between periods
  Sparse<std::uint16_t> enrolled_;
  static constexpr std::int32_t kDeclined = -2;  // declined during the current episode
  // The day an offered programme's uptake is drawn for: none of the run's, the same at every
  // offer, so each person decides once.
  static constexpr std::int32_t kDecidesOnce = -1;
  std::int32_t* until_ = nullptr;    // 0 never, > 0 enrolled until that day, -1 left, -2 declined
  std::uint8_t* offered_ = nullptr;  // 1: accepted a place at the start of this period
  std::uint32_t count_ = 0;
  SeriesId enrolled_series_ = -1, enrolments_ = -1, person_years_ = -1, cost_ = -1;
  EventTypeId enrol_event_ = 0, leave_event_ = 0;
  StreamId uptake_stream_, priority_stream_, dropout_stream_;
  // The run's, kept at begin_period() (which the loop runs before any block's marks in each
  // period): marks draw dropouts ahead.
  const Rng* rng_ = nullptr;
};

}  // namespace sarcosim
