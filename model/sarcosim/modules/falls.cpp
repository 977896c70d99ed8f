#include "sarcosim/modules/falls.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "sarcosim/core/day_of_age_table.hpp"
#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> falls_params() {
  static constexpr ParamSpec k[] = {
      bool_param("falls.enabled", true, "falls", "model switch"),
      real_param("falls.rate_70", 0.16, 0, 20, "1/yr",
                 "fall rate at 70 for a person with no risk factor",
                 "calibrated so that 28-35 % of people 65+ fall in a year (WHO 2007); Campbell "
                 "1990: 0.47 falls per person-year at 70-74"),
      real_param("falls.age_slope", 0.07, 0, 0.3, "1/yr",
                 "log change of the fall rate per year of age",
                 "derived: 0.47 (70-74) to 1.21 (80+) falls per person-year (Campbell 1990); "
                 "2.6-3.3 at 91+ (Fleming 2008)"),
      real_param("falls.sarcopenia_hr", 1.89, 0.1, 10, "", "hazard ratio with sarcopenia",
                 "Yeung 2019, J Cachexia Sarcopenia Muscle 10:485: OR 1.89 (prospective)"),
      real_param("falls.low_strength_hr", 1.4, 0.1, 10, "",
                 "hazard ratio with low grip but not low mass (probable sarcopenia)", "assumption"),
      real_param("falls.inactive_hr", 1.33, 0.1, 10, "", "hazard ratio when inactive",
                 "Thibaud 2012, Eur Rev Aging Phys Act 9:5: regular activity OR 0.75"),
      real_param("falls.post_discharge_hr", 4.7, 0.1, 20, "",
                 "hazard ratio in the first two weeks after discharge",
                 "Mahoney 2000, Arch Intern Med 160:2788: 8.0 vs 1.7 falls per 1000 person-days"),
      int_param("falls.post_discharge_days", 90, 14, 730, "days",
                "days after discharge by which the raised hazard has returned to 1",
                "Mahoney 2000 (1.7 per 1000 person-days at 3 months)"),
      real_param("falls.care_home_hr", 1.5, 0.1, 10, "", "hazard ratio in a care home",
                 "assumption (care-home residents fall ~1.5 times a year, recalled)"),
      real_param("falls.frailty_sd", 0.8, 0, 3, "",
                 "SD of the log of each person's lasting fall-proneness (mean 1)",
                 "assumption: makes falls recur in the same people (previous falls OR 2.8, "
                 "Deandrea 2010, Epidemiology 21:658)"),
  };
  return k;
}

namespace {

constexpr StreamId kFallStream = stream("falls.fall");
constexpr int kFallSlot = 0;  // the fall hazard, kept from marks for quiet days
constexpr StreamId kFrailtyStream = stream("falls.frailty");

class Falls final : public Module {
 public:
  explicit Falls(const ParamSet& p)
      : enabled_(p.boolean("falls.enabled")),
        rate70_(p.real("falls.rate_70") * kPerYearToPerDay),
        slope_(p.real("falls.age_slope")),
        sarcopenia_hr_(p.real("falls.sarcopenia_hr")),
        low_strength_hr_(p.real("falls.low_strength_hr")),
        inactive_hr_(p.real("falls.inactive_hr")),
        discharge_hr_(p.real("falls.post_discharge_hr")),
        discharge_days_(static_cast<int>(p.integer("falls.post_discharge_days"))),
        care_home_hr_(p.real("falls.care_home_hr")),
        frailty_sd_(p.real("falls.frailty_sd")),
        age_factor_([s = slope_](double age) { return std::exp(s * (age - 70)); }) {
    sarcopenia_ratio_[1] = low_strength_hr_;
    sarcopenia_ratio_[2] = sarcopenia_ratio_[3] = sarcopenia_hr_;
    activity_ratio_[0] = inactive_hr_;
    care_home_ratio_[1] = care_home_hr_;
    for (int d = 0; d <= discharge_days_; ++d)
      discharge_hr_by_day_.push_back(
          physiology::post_discharge_fall_hr(discharge_hr_, discharge_days_, d));
  }

  std::string_view name() const override { return "falls"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    last_fall_ =
        pop.add<Day16>({state::kLastFallDay, "day", "day of the last fall", {}}, state::kNever);
    count_ = pop.add_sparse<std::uint16_t>({"falls.count", "falls", "falls during the run", {}});
    budget_ = pop.add<HazardBudget>(
        {"falls.budget", kBudgetUnit, "hazard budget of the next fall", {}, false});
    frailty_ =
        pop.add<Ratio16>({"falls.proneness", "", "lasting multiplier of the fall hazard", {}});
    falls_ = reg.add_series({"falls", "falls", "falls", SeriesKind::Count});
    fallers_ = reg.add_series(
        {"fallers", "people", "people who fell at least once in the period", SeriesKind::Count});
    event_ = reg.add_event_type({"fall", "fall number of this person"});
  }

  void connect(const Population& pop) override {
    sarcopenia_ = pop.get<std::uint8_t>(state::kSarcopenia);
    activity_ = pop.get<std::uint8_t>(state::kActivity);
    condition_hr_ = pop.lookup(state::kConditionFallHr);
    days_left_ = pop.get_sparse<std::int16_t>(state::kHospitalDaysLeft);
    since_discharge_ = pop.get<std::int16_t>(state::kDaysSinceDischarge);
    care_home_ = pop.get<std::uint8_t>(state::kCareHome);
    disuse_ = pop.get_sparse<std::uint8_t>(state::kDisuse);
    effect_ = pop.sparse_lookup(state::kFallMultiplier);
  }

  void init(const Block& b, const Rng& rng) override {
    initial_budgets(rng, kFallStream, b.begin, b.end, budget_);
    rng.for_each_normal(kFrailtyStream, b.begin, b.end, kInitDay, [&](std::uint32_t i, double z) {
      frailty_[i] = std::exp(frailty_sd_ * z - 0.5 * frailty_sd_ * frailty_sd_);
    });
  }

  // Busy: in hospital or bed rest, recently discharged (the hazard changes daily), or a budget
  // that may run out.
  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    if (!enabled_) return;
    for (const std::uint32_t i : agents) {
      if (grounded(i))
        busy.now(i);
      else if (since_discharge_[i] < discharge_days_) {
        const Spent spent = after_discharge(i, p.first_day, busy.days());
        busy.keep(i, kFallSlot, spent.spent);  // all days(), if quiet through them
        busy.from(i, spent.event_day);
      } else
        busy.until_spent(i, budget_[i], hazard(i, p.first_day), kFallSlot);
    }
  }
  int remembered_hazards() const override { return 1; }

  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    if (!enabled_) return;
    const std::int32_t marked_days = ctx.period.end_day - ctx.first_day;  // the marks' days()
    for (const auto [i, days] : quiet) {
      if (since_discharge_[i] < discharge_days_)  // the marks' sum, unless busy before their end
        budget_[i] -= days == marked_days ? ctx.marked_quanta(kFallSlot, i)
                                          : after_discharge(i, ctx.period.first_day, days).spent;
      else
        spend_quiet_quanta(budget_[i], ctx.marked_quanta(kFallSlot, i), days);
    }
  }

  void step(const Block&, StepContext& ctx) override {
    if (!enabled_) return;
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i] || grounded(i)) continue;
      if (!spend_hazard(budget_[i], hazard(i, ctx.period.first_day), ctx.rng, kFallStream, i,
                        ctx.day))
        continue;
      const int band = AgeBands::at(ctx.day, core_.birth_day[i]);
      if (last_fall_[i] < ctx.period.first_day) ctx.tally(fallers_, core_.sex[i], band);
      last_fall_[i] = ctx.day;
      const auto count = static_cast<std::uint16_t>(std::min(65535, count_[i] + 1));
      count_.set(i, count);
      ctx.tally(falls_, core_.sex[i], band);
      ctx.event(i, event_, count);
      ctx.busy_through(i, 1);  // the day after a fall, which others react to (fear of falling)
    }
  }

 private:
  // No falls in hospital or in bed.
  bool grounded(std::uint32_t i) const {
    return days_left_[i] > 0 || disuse_[i] == state::kBedRest ||
           disuse_[i] == state::kIntensiveCare;
  }

  // The hazard of quiet days after a discharge changes daily (the raised hazard fades): the sum
  // over the days, and the first day the budget could run out (`days` if none). Day k of the
  // period sees since_discharge + k + 1 (hospital counts the day before falls runs).
  struct Spent {
    std::uint32_t spent;  // quanta (core/hazard_budget.hpp)
    std::int32_t event_day;
  };
  Spent after_discharge(std::uint32_t i, std::int32_t first_day, std::int32_t days) const {
    const double base = base_hazard(i, first_day);
    const std::uint32_t left = segment_left(budget_[i]);
    std::uint32_t spent = 0;  // below `left` (< 2^31) while the loop goes on: no overflow
    for (std::int32_t k = 0; k < days; ++k) {
      spent += hazard_quanta(base * discharge_hr(since_discharge_[i] + k + 1));
      if (!(left > spent)) return {spent, k};
    }
    return {spent, days};
  }

  double hazard(std::uint32_t i, std::int32_t day) const {
    double h = base_hazard(i, day);
    if (since_discharge_[i] < discharge_days_) h *= discharge_hr(since_discharge_[i]);
    return h;
  }

  // physiology::post_discharge_fall_hr, tabulated (the same doubles, without a division a day).
  double discharge_hr(int days_since_discharge) const {
    return discharge_hr_by_day_[static_cast<std::size_t>(
        std::clamp(days_since_discharge, 0, discharge_days_))];
  }

  double base_hazard(std::uint32_t i, std::int32_t day) const {
    // Ratios from tables by state, 1 where a factor is absent: multiplying by 1 changes no bit,
    // and the loads spare branches that the random mix of states would mispredict.
    return rate70_ * age_factor_(day, core_.birth_day[i]) * frailty_[i] * condition_hr_[i] *
           effect_[i] * sarcopenia_ratio_[sarcopenia_[i] & 3] * activity_ratio_[activity_[i] & 3] *
           care_home_ratio_[care_home_[i] != 0];
  }

  bool enabled_;
  double rate70_, slope_, sarcopenia_hr_, low_strength_hr_, inactive_hr_, discharge_hr_;
  int discharge_days_;
  double care_home_hr_, frailty_sd_;
  DayOfAgeTable age_factor_;                 // exp(slope (age - 70))
  std::vector<double> discharge_hr_by_day_;  // by days since discharge, 0 .. discharge_days
  // Hazard ratios by sarcopenia status (0-3), activity level (0-3) and care home (0/1).
  double sarcopenia_ratio_[4] = {1, 1, 1, 1}, activity_ratio_[4] = {1, 1, 1, 1},
         care_home_ratio_[2] = {1, 1};
  CoreColumns core_{};
  Day16* last_fall_ = nullptr;
  HazardBudget* budget_ = nullptr;
  Sparse<std::uint16_t> count_;  // 0 for most people (core/sparse_column.hpp)
  Ratio16* frailty_ = nullptr;
  LookupColumn condition_hr_;
  SparseLookupColumn effect_;
  std::uint8_t *sarcopenia_ = nullptr, *activity_ = nullptr, *care_home_ = nullptr;
  std::int16_t* since_discharge_ = nullptr;
  Sparse<std::int16_t> days_left_;
  Sparse<std::uint8_t> disuse_;
  SeriesId falls_ = -1, fallers_ = -1;
  EventTypeId event_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_falls(const ParamSet& params) {
  return std::make_unique<Falls>(params);
}

}  // namespace sarcosim
