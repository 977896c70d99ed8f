#include "sarcosim/modules/economics.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> economics_params() {
  static constexpr ParamSpec k[] = {
      real_param("economics.discount_rate", 0.035, 0, 0.2, "1/yr",
                 "annual discount rate of costs and QALYs (used by compare)",
                 "NICE reference case 3.5 %"),
      choice_param("economics.currency", "USD2020", "USD2020",
                   "currency and price year of every cost parameter", "convention"),
      real_param("economics.utility_70", 0.81, 0, 1, "", "EQ-5D utility at 70 without events",
                 "US EQ-5D population norms, 65-74 ~0.82, 75+ ~0.77 (Szende 2014, recalled)"),
      real_param("economics.utility_age_slope", -0.004, -0.05, 0.05, "1/yr",
                 "change of utility per year of age", "as utility_70 (recalled)"),
      real_param("economics.hip_fracture_decrement_3m", 0.53, 0, 1, "",
                 "utility decrement in the 3 months after a hip fracture",
                 "Systematic Reviews 2024;13:289, Table 5"),
      real_param("economics.hip_fracture_decrement_12m", 0.16, 0, 1, "",
                 "utility decrement 3-12 months after a hip fracture",
                 "Systematic Reviews 2024;13:289, Table 5 (0.16 at 12 months)"),
      real_param("economics.hip_fracture_decrement_later", 0.05, 0, 1, "",
                 "utility decrement after the first year", "assumption"),
      real_param("economics.other_fracture_decrement_3m", 0.57, 0, 1, "",
                 "utility decrement in the 3 months after another fracture (vertebral, humerus, "
                 "other)",
                 "Systematic Reviews 2024;13:289, Table 5"),
      real_param("economics.other_fracture_decrement_12m", 0.19, 0, 1, "",
                 "utility decrement 3-12 months after another fracture",
                 "Systematic Reviews 2024;13:289, Table 5"),
      real_param("economics.fall_decrement", 0.09, 0, 1, "",
                 "utility decrement in the month after a fall",
                 "Systematic Reviews 2024;13:289, Table 5 (duration a month: assumption)"),
      real_param("economics.sarcopenia_decrement", 0.03, 0, 1, "",
                 "utility decrement with sarcopenia", "assumption"),
      real_param("economics.care_home_decrement", 0.05, 0, 1, "",
                 "utility decrement while living in a care home", "assumption"),
      real_param("economics.cost_hospital_day", 2200, 0, 1e6, "USD2020",
                 "cost of a day in hospital",
                 "HCUP SB79: $11,900 per stay of 5.4 days at 65-74 (2007 USD, not inflated)"),
      real_param("economics.cost_icu_day", 2500, 0, 1e6, "USD2020",
                 "extra cost of a day in intensive care", "assumption"),
      real_param("economics.cost_hip_fracture", 10000, 0, 1e7, "USD2020",
                 "cost of a hip fracture beyond its hospital days (surgery, rehabilitation)",
                 "assumption from Leal 2016 (UK hospital costs GBP 14,163 in year 1) and Kanters "
                 "2020 (EUR 27,573 all costs)"),
      real_param("economics.cost_other_fracture", 1500, 0, 1e7, "USD2020",
                 "cost of another fracture beyond hospital days", "assumption"),
      real_param("economics.cost_care_home_year", 90000, 0, 1e7, "USD2020",
                 "cost of a year in a care home", "assumption (US nursing-home cost, recalled)"),
  };
  return k;
}

namespace {

class Economics final : public Module {
 public:
  explicit Economics(const ParamSet& p)
      : w_{p.real("economics.utility_70"),
           p.real("economics.utility_age_slope"),
           p.real("economics.hip_fracture_decrement_3m"),
           p.real("economics.hip_fracture_decrement_12m"),
           p.real("economics.hip_fracture_decrement_later"),
           p.real("economics.other_fracture_decrement_3m"),
           p.real("economics.other_fracture_decrement_12m"),
           p.real("economics.fall_decrement"),
           p.real("economics.sarcopenia_decrement"),
           p.real("economics.care_home_decrement"),
           p.real("economics.cost_hospital_day"),
           p.real("economics.cost_icu_day"),
           p.real("economics.cost_hip_fracture"),
           p.real("economics.cost_other_fracture"),
           p.real("economics.cost_care_home_year") * kPerYearToPerDay} {}

  std::string_view name() const override { return "economics"; }

  void attach(Population&, Registry& reg) override {
    qalys_ = reg.add_series(
        {"qalys", "QALY", "quality-adjusted life-years lived (undiscounted)", SeriesKind::Count});
    cost_hospital_ =
        reg.add_series({"cost_hospital", "USD2020", "cost of hospital and intensive-care days",
                        SeriesKind::Count});
    cost_fractures_ = reg.add_series(
        {"cost_fractures", "USD2020", "cost of fractures beyond hospital days", SeriesKind::Count});
    cost_care_home_ = reg.add_series(
        {"cost_care_home", "USD2020", "cost of care-home residence", SeriesKind::Count});
  }

  void connect(const Population& pop) override {
    core_ = CoreColumns::find(pop);
    days_left_ = pop.get_sparse<std::int16_t>(state::kHospitalDaysLeft);
    disuse_ = pop.get_sparse<std::uint8_t>(state::kDisuse);
    care_home_col_ = pop.get<std::uint8_t>(state::kCareHome);
    sarcopenia_col_ = pop.get<std::uint8_t>(state::kSarcopenia);
    last_fall_ = pop.get<Day16>(state::kLastFallDay);
    last_hip_ = pop.get<Day16>(state::kLastHipFractureDay);
    last_other_ = pop.get<Day16>(state::kLastOtherFractureDay);
  }

  // Nothing here starts or ends anything: quiet people's utility and costs have closed forms.
  void mark_busy(std::span<const std::uint32_t>, const Period&, BusyMarks&) const override {}

  // A quiet person is not in hospital and has no fracture in the period. The QALYs of its days
  // are summed in closed form (utility is linear in age, the decrements are windows), unless a
  // day could reach the floor of 0 or the period crosses an age band: then day by day.
  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    const std::int32_t first = ctx.first_day;
    const Weights w = w_;  // a local copy: the tallies' stores cannot change it, so no reloads
    const double hip_most = std::max({w.hip3, w.hip12, w.hip_later}),
                 other_most = std::max(w.other3, w.other12);
    // More than utility can move in a day of age (a day is 1/365.25 of a year; 1/365 bounds it),
    // rounding of the sums above included.
    const double most_drift = std::abs(w.slope) / 365.0 + 1e-9;
    for (const auto [i, days] : quiet) {
      const std::int32_t last = first + days - 1, birth = core_.birth_day[i];
      const int sex = core_.sex[i], band = AgeBands::at(first, birth);
      const bool crosses_band = band != AgeBands::at(last, birth);
      const bool care_home = care_home_col_[i] != 0;
      if (care_home) ctx.tally_days(cost_care_home_, sex, birth, days, w.care_home_day);
      // Each column read once (a Day16 decoded once, the first day's age worked out once).
      const double fixed = fixed_decrement(w, sarcopenia_col_[i], care_home);
      const Day16 hip = last_hip_[i], other = last_other_[i];
      const std::int32_t since_fall = first - last_fall_[i];
      const double age = age_years(first, birth);
      auto lowest_from = [&](double base) {
        return base - fixed - (!hip.never() ? hip_most : 0.0) -
               (!other.never() ? other_most : 0.0) - (since_fall < kAfterFall ? w.fall : 0.0);
      };
      // The lowest utility of the stretch: on its first or its last day (utility is linear in
      // age). Nearly always far above 0, which the first day's value shows without working out the
      // last day's age (a division); near 0, exactly, as the test below has always been made.
      const double first_base = base_utility_at(w, age);
      const bool surely_above_0 = lowest_from(first_base) - most_drift * days > 0;
      const bool below_0 =
          !surely_above_0 &&
          lowest_from(std::min(first_base, base_utility_at(w, age_years(last, birth)))) < 0;
      if (below_0 || crosses_band) {
        for (std::int32_t d = first; d <= last; ++d)
          ctx.tally(qalys_, sex, AgeBands::at(d, birth),
                    std::max(0.0, utility(w, i, d)) * kPerYearToPerDay);
        continue;
      }
      const double mid_age = age + half_span_years(days);
      double sum = days * (base_utility_at(w, mid_age) - fixed);
      if (!hip.never()) {
        const std::int32_t d0 = first - hip;
        sum -= w.hip3 * days_in(d0, days, 0, kFirst3Months) +
               w.hip12 * days_in(d0, days, kFirst3Months, kFirstYear) +
               w.hip_later * days_in(d0, days, kFirstYear, INT32_MAX);
      }
      if (!other.never()) {
        const std::int32_t d0 = first - other;
        sum -= w.other3 * days_in(d0, days, 0, kFirst3Months) +
               w.other12 * days_in(d0, days, kFirst3Months, kFirstYear);
      }
      sum -= w.fall * days_in(since_fall, days, INT32_MIN, kAfterFall);
      ctx.tally(qalys_, sex, band, sum * kPerYearToPerDay);
    }
  }

  void step(const Block&, StepContext& ctx) override {
    const Day16 today = ctx.day;
    const Weights w = w_;  // as in advance_quiet
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      const int sex = core_.sex[i], band = AgeBands::at(ctx.day, core_.birth_day[i]);
      if (last_hip_[i].is(today)) ctx.tally(cost_fractures_, sex, band, w.hip_cost);
      if (last_other_[i].is(today)) ctx.tally(cost_fractures_, sex, band, w.other_cost);
      if (care_home_col_[i]) ctx.tally(cost_care_home_, sex, band, w.care_home_day);
      if (days_left_[i] > 0)
        ctx.tally(cost_hospital_, sex, band,
                  w.hospital_day + (disuse_[i] == state::kIntensiveCare ? w.icu_day : 0.0));
      ctx.tally(qalys_, sex, band, std::max(0.0, utility(w, i, ctx.day)) * kPerYearToPerDay);
    }
  }

 private:
  // Windows of the utility decrements, in days since the event: the first 3 months and the first
  // year after a fracture, and the month after a fall (as the decrement parameters say).
  static constexpr int kFirst3Months = 91, kFirstYear = 365, kAfterFall = 30;

  // Utility weights and costs (per day for care homes), from the parameters.
  struct Weights {
    double u70, slope, hip3, hip12, hip_later, other3, other12, fall, sarcopenia, care_home;
    double hospital_day, icu_day, hip_cost, other_cost, care_home_day;
  };

  // Utility by age alone: linear in age, so a stretch's mean is its value at the mean age.
  static double base_utility_at(const Weights& w, double age) {
    return w.u70 + w.slope * (age - 70);
  }
  double base_utility(const Weights& w, std::uint32_t i, std::int32_t day) const {
    return base_utility_at(w, age_years(day, core_.birth_day[i]));
  }
  // The decrements that last a whole period (both change only at its end or with a stay).
  static double fixed_decrement(const Weights& w, std::uint8_t sarcopenia, bool care_home) {
    return (sarcopenia >= 2 ? w.sarcopenia : 0.0) + (care_home ? w.care_home : 0.0);
  }

  // Utility on one day: by age, less the decrements of what the person lives with that day.
  double utility(const Weights& w, std::uint32_t i, std::int32_t day) const {
    double u = base_utility(w, i, day);
    if (const int d = day - last_hip_[i]; d >= 0 && !last_hip_[i].never())
      u -= d < kFirst3Months ? w.hip3 : d < kFirstYear ? w.hip12 : w.hip_later;
    if (const int d = day - last_other_[i]; d >= 0 && d < kFirstYear && !last_other_[i].never())
      u -= d < kFirst3Months ? w.other3 : w.other12;
    if (day - last_fall_[i] < kAfterFall) u -= w.fall;
    if (sarcopenia_col_[i] >= 2) u -= w.sarcopenia;
    if (care_home_col_[i]) u -= w.care_home;
    return u;
  }

  // Half a stretch's span in years, (days - 1) / 2 / 365.25: the same double, tabled for stretches
  // of up to a period (at most 30 days) so that a quiet stretch needs one division, its first
  // day's age.
  static constexpr std::int32_t kTabledDays = 32;
  static double half_span_worked_out(std::int32_t days) { return (days - 1) / 2.0 / kDaysPerYear; }
  static std::array<double, kTabledDays> tabulate_half_spans() {
    std::array<double, kTabledDays> t{};
    for (std::int32_t d = 0; d < kTabledDays; ++d)
      t[static_cast<std::size_t>(d)] = half_span_worked_out(d);
    return t;
  }
  double half_span_years(std::int32_t days) const {
    return days < kTabledDays ? half_spans_[static_cast<std::size_t>(days)]
                              : half_span_worked_out(days);
  }

  // Of the days d0, d0 + 1, ..., d0 + days - 1 (days since an event), how many are in [lo, hi).
  static std::int32_t days_in(std::int64_t d0, std::int32_t days, std::int64_t lo,
                              std::int64_t hi) {
    const std::int64_t from = std::max(d0, lo), to = std::min(d0 + days, hi);
    return static_cast<std::int32_t>(std::max<std::int64_t>(0, to - from));
  }

  const Weights w_;
  const std::array<double, kTabledDays> half_spans_ = tabulate_half_spans();
  CoreColumns core_{};
  Sparse<std::int16_t> days_left_;
  Sparse<std::uint8_t> disuse_;
  std::uint8_t *care_home_col_ = nullptr, *sarcopenia_col_ = nullptr;
  Day16 *last_fall_ = nullptr, *last_hip_ = nullptr, *last_other_ = nullptr;
  SeriesId qalys_ = -1, cost_hospital_ = -1, cost_fractures_ = -1, cost_care_home_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_economics(const ParamSet& params) {
  return std::make_unique<Economics>(params);
}

}  // namespace sarcosim
