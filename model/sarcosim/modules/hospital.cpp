#include "sarcosim/modules/hospital.hpp"

#include <algorithm>
#include <cmath>

#include "sarcosim/core/day_of_age_table.hpp"
#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> hospital_params() {
  static constexpr ParamSpec k[] = {
      bool_param("hospital.enabled", true, "admissions for illness and bed rest at home",
                 "model switch"),
      real_param("hospital.admission_rate_70", 0.19, 0, 10, "1/yr",
                 "rate of admission for illness at 70 for a person without conditions (their "
                 "hazard ratios, fractures and strokes come on top)",
                 "calibrated to ~260 stays per 1000 per year at 65-74 (HCUP Statistical Brief 79)"),
      real_param("hospital.admission_age_slope", 0.012, -0.2, 0.3, "1/yr",
                 "log change of that rate per year of age (conditions and fractures already rise "
                 "with age)",
                 "calibrated to 550-600 stays per 1000 at 85+ (HCUP SB103, NCHS Data Brief 182)"),
      real_param("hospital.los_median_days", 4.8, 1, 60, "days", "median stay, illness",
                 "lognormal fit to the Olmsted County length-of-stay distribution (Blood 2018; "
                 "mean 5.5 d); HCUP SB79 mean 5.4 d at 65-74"),
      real_param("hospital.los_sigma", 0.6, 0, 2, "", "log-SD of the length of stay",
                 "fit to the same distribution, widened for the tail of long stays"),
      real_param("hospital.los_median_hip_fracture", 8, 1, 90, "days", "median stay, hip fracture",
                 "assumption between US acute stays (~5-6 d) and Sweden (11.6 d, Nordstrom 2015)"),
      real_param("hospital.los_median_other_fracture", 5, 1, 90, "days",
                 "median stay, other fractures", "assumption (vertebral/pelvic ~5-8 d, recalled)"),
      real_param("hospital.los_median_stroke", 7, 1, 90, "days", "median stay, stroke",
                 "assumption"),
      real_param("hospital.los_median_neurological", 14, 1, 180, "days",
                 "median stay, Guillain-Barre or spinal cord injury", "assumption"),
      real_param("hospital.icu_share", 0.12, 0, 1, "", "share of stays with intensive care, <85",
                 "NYC 2000-14: 14.3 % (Med Care 2020 58:74); earlier 20-30 % (Yu 2000, "
                 "Milbrandt 2005)"),
      real_param("hospital.icu_share_85plus", 0.085, 0, 1, "",
                 "share of stays with intensive care, 85+",
                 "Yu 2000: 21.1% at 85+ vs 29.7% at 65-74 (x0.7)"),
      real_param("hospital.icu_days_median", 3, 1, 60, "days", "median days in intensive care",
                 "VIP studies of ICU patients 80+ (recalled)"),
      real_param("hospital.icu_mortality", 0.10, 0, 1, "",
                 "probability of dying after an intensive-care stay, beyond background mortality",
                 "Yu 2000, J Gen Intern Med 15:97: 17 % dead at 90 days, less the background "
                 "risk and the excess already in the life table (assumption)"),
      real_param("hospital.bedbound_fraction", 0.83, 0, 1, "",
                 "share of the day spent lying in bed in hospital (the disuse dose)",
                 "Brown 2009, JAGS 57:1660: 83% of the time lying"),
      real_param("hospital.pressure_ulcer_risk", 0.045, 0, 1, "",
                 "probability of a hospital-acquired pressure ulcer in a stay of 5.5 days "
                 "(scaled with length, at most x3)",
                 "Lyder 2012, JAGS 60:1603: 4.5% of Medicare stays"),
      real_param("hospital.pressure_ulcer_extra_days", 6, 0, 90, "days",
                 "days a pressure ulcer adds to a stay",
                 "Lyder 2012: 4.8 d without vs 11.2 d with"),
      real_param("hospital.vte_risk_short", 0.005, 0, 1, "",
                 "venous thrombosis in stays of 1-3 days",
                 "MarketScan acute medical stays (2019): 0.5%"),
      real_param("hospital.vte_risk_medium", 0.013, 0, 1, "",
                 "venous thrombosis in stays of 4-6 days", "same source: 1.3%"),
      real_param("hospital.vte_risk_long", 0.054, 0, 1, "", "venous thrombosis in stays of 7+ days",
                 "same source: 5.4%"),
      real_param("hospital.vte_extra_days", 4, 0, 90, "days", "days a thrombosis adds to a stay",
                 "assumption (+3-5 d)"),
      real_param("hospital.home_bedrest_rate", 0.8, 0, 50, "1/yr",
                 "episodes of bed rest at home after an illness",
                 "Gill 2001, Ann Intern Med 135:313: in bed half a day or more in 5-10% of "
                 "person-months (recalled)"),
      real_param("hospital.home_bedrest_days", 3, 1, 60, "days", "length of bed rest at home",
                 "assumption"),
      real_param("hospital.home_bedrest_dose", 0.3, 0, 1, "",
                 "share of full unloading during bed rest at home",
                 "assumption: in bed half a day or more (Gill 2001), not strict bed rest"),
      real_param("hospital.care_home_after_hip_fracture_80", 0.085, 0, 1, "",
                 "probability of moving into a care home after a hip fracture at 80",
                 "Danish cohort (n=53,157): 3.2% at 60-69 to 22.4% at 90-100 within a year"),
      real_param("hospital.care_home_after_stay_80", 0.01, 0, 1, "",
                 "probability of moving into a care home after another stay at 80", "assumption"),
      real_param("hospital.care_home_age_slope", 0.065, 0, 0.5, "1/yr",
                 "log change of those probabilities per year of age",
                 "derived from the Danish cohort (3.2% at 65 -> 22.4% at 95)"),
  };
  return k;
}

namespace {

constexpr StreamId kAdmissionStream = stream("hospital.admission");
constexpr int kAdmissionSlot = 0;  // the admission hazard, kept from marks for quiet days
constexpr StreamId kStayStream = stream("hospital.stay");
constexpr StreamId kHomeBedRestStream = stream("hospital.home_bedrest");
constexpr std::int16_t kLongAgo = 32767;

class Hospital final : public Module {
 public:
  explicit Hospital(const ParamSet& p)
      : enabled_(p.boolean("hospital.enabled")),
        rate70_(p.real("hospital.admission_rate_70") * kPerYearToPerDay),
        rate_slope_(p.real("hospital.admission_age_slope")),
        los_sigma_(p.real("hospital.los_sigma")),
        icu_share_(p.real("hospital.icu_share")),
        icu_share_85_(p.real("hospital.icu_share_85plus")),
        icu_median_(p.real("hospital.icu_days_median")),
        icu_mortality_(p.real("hospital.icu_mortality")),
        bedbound_(p.real("hospital.bedbound_fraction")),
        ulcer_risk_(p.real("hospital.pressure_ulcer_risk")),
        ulcer_days_(p.real("hospital.pressure_ulcer_extra_days")),
        vte_risk_{p.real("hospital.vte_risk_short"), p.real("hospital.vte_risk_medium"),
                  p.real("hospital.vte_risk_long")},
        vte_days_(p.real("hospital.vte_extra_days")),
        home_rate_(p.real("hospital.home_bedrest_rate") * kPerYearToPerDay),
        home_days_(static_cast<std::int16_t>(p.real("hospital.home_bedrest_days"))),
        home_dose_(p.real("hospital.home_bedrest_dose")),
        care_hip_(p.real("hospital.care_home_after_hip_fracture_80")),
        care_other_(p.real("hospital.care_home_after_stay_80")),
        care_slope_(p.real("hospital.care_home_age_slope")),
        age_factor_([s = rate_slope_](double age) { return std::exp(s * (age - 70)); }) {
    los_median_[state::kAdmitIllness] = p.real("hospital.los_median_days");
    los_median_[state::kAdmitHipFracture] = p.real("hospital.los_median_hip_fracture");
    los_median_[state::kAdmitOtherFracture] = p.real("hospital.los_median_other_fracture");
    los_median_[state::kAdmitStroke] = p.real("hospital.los_median_stroke");
    los_median_[state::kAdmitNeurological] = p.real("hospital.los_median_neurological");
  }

  std::string_view name() const override { return "hospital"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    days_left_ = pop.add_sparse<std::int16_t>({state::kHospitalDaysLeft,
                                               "days",
                                               "days left in hospital (0: not in hospital)",
                                               {},
                                               true,
                                               true});
    since_ = pop.add<std::int16_t>(
        {state::kDaysSinceDischarge, "days", "days since the last discharge (32767: none)", {}},
        kLongAgo);
    request_ = pop.add_sparse<std::uint8_t>({state::kAdmissionRequest,
                                             "",
                                             "admission asked for by another module (reason)",
                                             {},
                                             false});
    care_home_ = pop.add<std::uint8_t>(
        {state::kCareHome, "", "1 while living in a care home", {}, true, true});
    reason_ = pop.add_sparse<std::uint8_t>(
        {"hospital.stay_reason", "", "reason of the current or last stay (0: none yet)", {}});
    icu_left_ = pop.add_sparse<std::int16_t>(
        {"hospital.icu_days_left", "days", "days left in intensive care", {}, false});
    dies_after_icu_ = pop.add_sparse<std::uint8_t>(
        {"hospital.dies_after_icu", "", "1 if this intensive-care stay ends in death", {}, false});
    home_left_ = pop.add_sparse<std::int16_t>(
        {"hospital.home_bedrest_days_left", "days", "days left of bed rest at home", {}, false});
    admit_budget_ = pop.add<HazardBudget>({"hospital.admission_budget",
                                           kBudgetUnit,
                                           "hazard budget of the next admission",
                                           {},
                                           false});
    home_budget_ = pop.add<HazardBudget>({"hospital.home_bedrest_budget",
                                          kBudgetUnit,
                                          "hazard budget of the next bed rest at home",
                                          {},
                                          false});
    disuse_ =
        pop.add_sparse<std::uint8_t>({state::kDisuse,
                                      "",
                                      "0 none, 1 bed rest, 2 intensive care, 3 leg immobilised",
                                      {},
                                      true,
                                      true});
    disuse_day_ = pop.add_sparse<std::uint16_t>(
        {state::kDisuseDay, "days", "day of the current disuse episode (0: none)", {}, false});
    dose_ = pop.add_sparse<state::DisuseDose>(
        {state::kDisuseDose, "", "share of the day unloaded (0: no disuse)", {}, false});

    const char* reasons[] = {"",       "illness",     "hip_fracture", "other_fracture",
                             "stroke", "neurological"};
    for (int r = 1; r <= 5; ++r)
      admissions_[r] =
          reg.add_series({std::string("admissions_") + reasons[r], "stays",
                          std::string("hospital admissions for ") + reasons[r], SeriesKind::Count});
    bed_days_ = reg.add_series({"bed_days", "days", "days spent in hospital", SeriesKind::Count});
    icu_stays_ =
        reg.add_series({"icu_stays", "stays", "stays with intensive care", SeriesKind::Count});
    ulcers_ = reg.add_series(
        {"pressure_ulcers", "ulcers", "hospital-acquired pressure ulcers", SeriesKind::Count});
    vtes_ = reg.add_series(
        {"venous_thromboses", "events", "hospital-acquired venous thromboses", SeriesKind::Count});
    home_rest_ = reg.add_series(
        {"home_bedrest_episodes", "episodes", "episodes of bed rest at home", SeriesKind::Count});
    in_care_home_ = reg.add_series(
        {"in_care_home", "people", "people living in a care home", SeriesKind::Level});
    in_hospital_ = reg.add_series(
        {"in_hospital", "people", "people in hospital on the last day", SeriesKind::Level});
    admit_event_ = reg.add_event_type(
        {"admission",
         "reason: 1 illness, 2 hip fracture, 3 other fracture, 4 stroke, 5 neurological"});
    discharge_event_ = reg.add_event_type({"discharge", "length of stay (days)"});
    icu_event_ = reg.add_event_type({"intensive_care", "days in intensive care"});
    ulcer_event_ = reg.add_event_type({"pressure_ulcer", "days added to the stay"});
    vte_event_ = reg.add_event_type({"venous_thrombosis", "days added to the stay"});
    home_event_ = reg.add_event_type({"home_bedrest", "days"});
    care_event_ = reg.add_event_type({"care_home_entry", "reason of the stay before"});
    icu_death_ = reg.add_death_cause("critical_illness", "after an intensive-care stay");
  }

  void connect(const Population& pop) override {
    admission_hr_ = pop.lookup(state::kConditionAdmissionHr);
    bedbound_effect_ = pop.sparse_lookup(state::kBedboundMultiplier);
  }

  void init(const Block& b, const Rng& rng) override {
    initial_budgets(rng, kAdmissionStream, b.begin, b.end, admit_budget_);
    initial_budgets(rng, kHomeBedRestStream, b.begin, b.end, home_budget_);
  }

  // Busy: in hospital or bed rest, an admission asked for, or a budget that may run out. A stay
  // or a bed rest of n more days keeps the person busy through day n: n days in bed, then the day
  // that ends their disuse.
  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    for (const std::uint32_t i : agents) {
      if (days_left_[i] > 0) {
        busy.through(i, days_left_[i]);
      } else if (home_left_[i] > 0) {
        busy.through(i, home_left_[i]);
      } else if (request_[i] || disuse_[i] != state::kNoDisuse) {
        busy.now(i);
      } else if (enabled_) {
        busy.until_spent(i, admit_budget_[i], admission_hazard(i, p.first_day), kAdmissionSlot);
        busy.until_spent_quanta(i, home_budget_[i], home_quanta_);
      }
    }
  }
  int remembered_hazards() const override { return 1; }

  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    for (const auto [i, days] : quiet) {
      since_[i] = days_on(since_[i], days);
      if (!enabled_) continue;
      spend_quiet_quanta(admit_budget_[i], ctx.marked_quanta(kAdmissionSlot, i), days);
      spend_quiet_quanta(home_budget_[i], home_quanta_, days);
    }
  }

  void step(const Block&, StepContext& ctx) override {
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      const int band = AgeBands::at(ctx.day, core_.birth_day[i]);  // a load, not two divisions
      if (days_left_[i] == 0) {
        since_[i] = days_on(since_[i], 1);
        if (const std::uint8_t r = request_[i]) {
          request_.set(i, 0);
          admit(i, r, band, ctx);
        } else if (enabled_ &&
                   spend_hazard(admit_budget_[i], admission_hazard(i, ctx.period.first_day),
                                ctx.rng, kAdmissionStream, i, ctx.day)) {
          admit(i, state::kAdmitIllness, band, ctx);
        } else if (home_left_[i] == 0 && enabled_ &&
                   spend_hazard(home_budget_[i], home_rate_, ctx.rng, kHomeBedRestStream, i,
                                ctx.day)) {
          home_left_.set(i, home_days_);
          ctx.busy_through(i, home_days_);  // in bed, then the day that ends it
          ctx.event(i, home_event_, home_days_);
          ctx.tally(home_rest_, core_.sex[i], band);
        }
      }
      // In place: one search for each value read and changed (core/sparse_column.hpp).
      if (std::int16_t* left = days_left_.find(i); left && *left > 0) {
        stay_one_day(i, *left, band, ctx);
      } else if (std::int16_t* home = home_left_.find(i); home && *home > 0) {
        --*home;
        set_disuse(i, state::kBedRest, home_dose_);
      } else {
        end_disuse(i);
      }
    }
  }

  void record(RecordContext& ctx) override {
    for (const auto [i, sex, band] : ctx.living) {
      if (care_home_[i]) ctx.tally(in_care_home_, sex, band);
      if (days_left_[i] > 0) ctx.tally(in_hospital_, sex, band);
    }
  }

 private:
  // Days since discharge, `days` later: they stop at kLongAgo, the int16's largest, so a minimum
  // (no branch: most people's were long ago, a few just discharged) is all it takes.
  static std::int16_t days_on(std::int16_t since, std::int32_t days) {
    return static_cast<std::int16_t>(std::min<std::int32_t>(kLongAgo, since + days));
  }

  double admission_hazard(std::uint32_t i, std::int32_t day) const {
    return rate70_ * age_factor_(day, core_.birth_day[i]) * admission_hr_[i];
  }

  // Day 1 of a disuse episode of this kind, or the next day of the one going on.
  void set_disuse(std::uint32_t i, state::Disuse kind, double dose) {
    const std::uint8_t* now = disuse_.find(i);
    std::uint16_t* day = disuse_day_.find(i);
    if (now && *now == kind && day) {
      if (*day < 65535) ++*day;
    } else {
      disuse_.set(i, kind);
      disuse_day_.set(i, 1);
    }
    dose_.set(i, dose);
  }
  // Whatever disuse there was is over: kind, day and dose back to 0 (the dose too, which is read
  // only during disuse, so that the sparse column keeps no value for anyone out of it).
  void end_disuse(std::uint32_t i) {
    disuse_.set(i, state::kNoDisuse);
    disuse_day_.set(i, 0);
    dose_.set(i, 0.0);
  }

  void admit(std::uint32_t i, std::uint8_t reason, int band, StepContext& ctx) {
    const double age = age_years(ctx.day, core_.birth_day[i]);
    const auto z = ctx.rng.normal2(kStayStream, i, ctx.day, 0);
    const auto u = ctx.rng.uniform4(kStayStream, i, ctx.day, 1);
    int los = physiology::length_of_stay(los_median_[reason], los_sigma_, z[0]);
    int icu = 0;
    if (u[0] < (age >= 85 ? icu_share_85_ : icu_share_)) {
      icu = std::min(los, physiology::length_of_stay(icu_median_, 0.7, z[1]));
      ctx.event(i, icu_event_, static_cast<float>(icu));
      ctx.tally(icu_stays_, core_.sex[i], band);
      dies_after_icu_.set(i, u[3] < icu_mortality_);
    }
    // Complications of lying in bed lengthen the stay.
    if (u[1] < ulcer_risk_ * std::min(3.0, los / 5.5)) {
      los += static_cast<int>(ulcer_days_);
      ctx.event(i, ulcer_event_, static_cast<float>(ulcer_days_));
      ctx.tally(ulcers_, core_.sex[i], band);
    }
    if (u[2] < vte_risk_[los <= 3 ? 0 : los <= 6 ? 1 : 2]) {
      los += static_cast<int>(vte_days_);
      ctx.event(i, vte_event_, static_cast<float>(vte_days_));
      ctx.tally(vtes_, core_.sex[i], band);
    }
    const int stay = std::min(los, 30000);  // days, as the int16 column holds them
    days_left_.set(i, static_cast<std::int16_t>(stay));
    ctx.busy_through(i, stay);  // in hospital, then the day that ends the disuse
    icu_left_.set(i, static_cast<std::int16_t>(icu));
    reason_.set(i, reason);
    home_left_.set(i, 0);
    ctx.event(i, admit_event_, reason);
    ctx.tally(admissions_[reason], core_.sex[i], band);
  }

  // A day in hospital; `left` is the stay's days left, in place in its sparse column (no other
  // value of that column is added here, which would move it).
  void stay_one_day(std::uint32_t i, std::int16_t& left, int band, StepContext& ctx) {
    std::int16_t* icu_left = icu_left_.find(i);
    const bool icu = icu_left && *icu_left > 0;
    set_disuse(i, icu ? state::kIntensiveCare : state::kBedRest,
               icu ? 1.0 : bedbound_ * bedbound_effect_[i]);
    ctx.tally(bed_days_, core_.sex[i], band);
    if (icu && --*icu_left == 0 && dies_after_icu_[i]) {
      dies_after_icu_.set(i, 0);
      ctx.request_death(i, icu_death_);
    }
    if (--left > 0) return;
    since_[i] = 0;
    ctx.event(i, discharge_event_, 0);
    const double age = age_years(ctx.day, core_.birth_day[i]);
    const double p80 = reason_[i] == state::kAdmitHipFracture ? care_hip_ : care_other_;
    if (!care_home_[i] && ctx.rng.uniform(kStayStream, i, ctx.day, 2) <
                              std::min(1.0, p80 * std::exp(care_slope_ * (age - 80)))) {
      care_home_[i] = 1;
      ctx.event(i, care_event_, reason_[i]);
    }
  }

  bool enabled_;
  double rate70_, rate_slope_, los_sigma_, icu_share_, icu_share_85_, icu_median_, icu_mortality_,
      bedbound_, ulcer_risk_, ulcer_days_, vte_risk_[3], vte_days_, home_rate_;
  std::uint32_t home_quanta_ = hazard_quanta(home_rate_);  // the same for everyone, every day
  std::int16_t home_days_;
  double home_dose_, care_hip_, care_other_, care_slope_;
  DayOfAgeTable age_factor_;  // exp(rate_slope (age - 70))
  double los_median_[6] = {};
  CoreColumns core_{};
  std::int16_t* since_ = nullptr;
  std::uint8_t* care_home_ = nullptr;
  HazardBudget *admit_budget_ = nullptr, *home_budget_ = nullptr;
  // Short-term states, 0 for most people (core/sparse_column.hpp).
  Sparse<std::int16_t> days_left_, icu_left_, home_left_;
  Sparse<std::uint8_t> request_, disuse_, dies_after_icu_;
  Sparse<std::uint8_t> reason_;  // 0 until a first stay
  Sparse<std::uint16_t> disuse_day_;
  Sparse<state::DisuseDose> dose_;
  LookupColumn admission_hr_;
  SparseLookupColumn bedbound_effect_;
  SeriesId admissions_[6] = {}, bed_days_ = -1, icu_stays_ = -1, ulcers_ = -1, vtes_ = -1,
           home_rest_ = -1, in_care_home_ = -1, in_hospital_ = -1;
  EventTypeId admit_event_ = 0, discharge_event_ = 0, icu_event_ = 0, ulcer_event_ = 0,
              vte_event_ = 0, home_event_ = 0, care_event_ = 0;
  std::uint8_t icu_death_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_hospital(const ParamSet& params) {
  return std::make_unique<Hospital>(params);
}

}  // namespace sarcosim
