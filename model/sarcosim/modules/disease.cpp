#include "sarcosim/modules/disease.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sarcosim/core/band_counts.hpp"
#include "sarcosim/core/day_of_age_table.hpp"
#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {
namespace disease {
namespace {

// The defaults of one condition. Rates per 1000 person-years at age 70.
struct ConditionRow {
  const char* name;
  double incidence_men, incidence_women, age_slope;
  double remission;         // 1/yr; 0: lifelong
  double muscle_loss;       // extra relative loss of lean mass and strength, 1/yr
  double neurogenic_loss;   // share of ALM lost over the weeks after onset
  double activity_penalty;  // SD units of the activity score
  double fall_hr, mortality_hr, admission_hr;
  double onset_admission;  // probability of a hospital stay at onset
  bool at_start;           // present at the start with a prevalence from past incidence
  std::uint8_t admission_reason;
  const char* incidence_source;
  const char* effect_source;
};

// clang-format off
constexpr ConditionRow kRows[kConditionCount] = {
  {"osteoarthritis", 5, 10, 0.02, 0, 0.001, 0, 0.3, 1.5, 1.0, 1.0, 0, true, state::kAdmitIllness,
   "symptomatic knee/hip OA: Oliveria 1995, Arthritis Rheum 38:1134 (women 70-89 ~10/1000)",
   "assumption; falls: arthritis OR ~1.5 (Deandrea 2010, Epidemiology 21:658, recalled)"},
  {"rheumatoid_arthritis", 0.5, 0.9, 0.0, 0, 0.003, 0, 0.4, 1.5, 1.4, 1.3, 0, true, state::kAdmitIllness,
   "Myasoedova 2010, Arthritis Rheum 62:1576 (0.41/1000, women 0.53, men 0.28, rising with age)",
   "rheumatoid cachexia: assumption; mortality SMR 1.3-1.5 (recalled)"},
  {"heart_failure", 9, 6, 0.09, 0, 0.003, 0, 0.5, 1.3, 2.5, 2.5, 0.5, true, state::kAdmitIllness,
   "Bleumink 2004, Eur Heart J 25:1614 (Rotterdam: 1.4 at 55-59 to 47.4 at 90+)",
   "mortality derived from 63% 1-yr and 35% 5-yr survival (Bleumink 2004); sarcopenia in 34% "
   "(ESC Heart Fail 2021); other effects assumptions"},
  {"copd", 14, 6, 0.02, 0, 0.003, 0, 0.5, 1.2, 1.7, 2.0, 0.3, true, state::kAdmitIllness,
   "van Durme 2009, Chest 135:368 (men 14.4, women 6.2 per 1000 at 55+)",
   "mortality HR 1.5-2 (recalled); sarcopenia 21.6 % (95 % CI 14.6-30.9), 8 % in "
   "population-based studies (Benz 2019, Eur Respir Rev 28:190049); others assumptions"},
  {"diabetes", 20, 20, 0.0, 0, 0.002, 0, 0.2, 1.4, 1.6, 1.3, 0, true, state::kAdmitIllness,
   "Andes 2019, MMWR 68(43): 30/1000 in Medicare 68+ (claims), lowered for diagnosed diabetes "
   "(assumption)",
   "mortality 87 vs 54 per 1000 (McBean 2004, Diabetes Care 27:2317); leg lean loss (Park 2009, "
   "recalled); falls OR 1.2-1.6 (Deandrea 2010, recalled)"},
  {"cancer_cachexia", 9, 6, 0.03, 0, 0.10, 0, 0.8, 1.3, 10, 3.0, 0.5, false, state::kAdmitIllness,
   "cancer 20-25/1000 at 65+ (SEER, recalled) x ~30% with cachexia (Vagnildhaug 2018)",
   "loss >5% in 6 months (Fearon 2011, Lancet Oncol 12:489); mortality: assumption (median "
   "survival ~1 yr)"},
  {"stroke", 5.7, 3.5, 0.09, 0, 0, 0.03, 1.0, 1.8, 2.0, 1.2, 1.0, true, state::kAdmitStroke,
   "Hollander 2003, JNNP (Rotterdam: men 1.7 at 55-59 to 69.8 at 95+; women 1.2 to 33.1)",
   "paretic limbs -0.58 kg lean (English 2010, Int J Stroke 5:395) = ~3% of ALM; falls OR "
   "1.6-2.0 (Deandrea 2010, recalled); mortality assumption"},
  {"als", 0.075, 0.06, 0.0, 0, 0.25, 0, 1.5, 2.0, 8, 2.0, 0, false, state::kAdmitNeurological,
   "Logroscino 2010, JNNP 81:385: peak 7-8 per 100,000 at 72-77",
   "ALSFRS-R -0.89/month (PRECISION-ALS); median survival 2-5 yr (Wolf 2014); loss rate "
   "assumption"},
  {"multiple_sclerosis", 0.01, 0.02, 0.0, 0, 0.02, 0, 0.8, 2.0, 1.5, 1.5, 0, false,
   state::kAdmitNeurological, "late onset rare: onset >50 in ~5% of MS (Alroughani 2016); assumption",
   "assumption"},
  {"spinal_cord_injury", 0.09, 0.06, 0.02, 0, 0, 0.2, 2.0, 1.0, 3.0, 1.5, 1.0, false,
   state::kAdmitNeurological, "65+: 79-88 per million (Selvarajah 2014, J Neurotrauma)",
   "complete SCI: -16 to -24% muscle CSA in 6 to 24 weeks (Castro 1999, Eur J Appl Physiol); "
   "mortality assumption"},
  {"guillain_barre", 0.02, 0.015, 0.018, 0, 0, 0.1, 0.5, 1.5, 1.5, 1.0, 1.0, false,
   state::kAdmitNeurological, "Sejvar 2011, Neuroepidemiology 36:123: exp(-12.08 + 0.0181 age)",
   "~20% cannot walk at 6 months, ~5% die (recalled); loss share assumption"},
  {"corticosteroids", 8, 8, 0.0, 0.25, 0.01, 0, 0, 1.2, 1.2, 1.0, 0, true, state::kAdmitIllness,
   "long-term oral glucocorticoids in 3.1% of people >70 (Mackie 2002): incidence and "
   "remission chosen to give that prevalence (assumption)",
   "myopathy in 2.4-21% of long-term users (assumption averaged over users)"},
  {"heavy_alcohol", 2, 0.4, 0.0, 0.05, 0.005, 0, 0, 1.5, 1.5, 1.0, 0, true, state::kAdmitIllness,
   "alcohol abuse/dependence 4.8% men, ~1% women 65+ (Blazer & Wu 2009): incidence and "
   "remission chosen to give it (assumption)",
   "myopathy in ~1/3 of chronic heavy drinkers (Estruch 1998); effects assumptions"},
};
// clang-format on

struct Field {
  const char* suffix;
  double ConditionRow::*member;
  double min, max;
  const char* unit;
  const char* what;
  bool incidence_field;
};
constexpr Field kFields[] = {
    {"incidence_men", &ConditionRow::incidence_men, 0, 1000, "per 1000 py",
     "onset rate in men at 70", true},
    {"incidence_women", &ConditionRow::incidence_women, 0, 1000, "per 1000 py",
     "onset rate in women at 70", true},
    {"age_slope", &ConditionRow::age_slope, -0.5, 0.5, "1/yr",
     "log change of the onset rate per year of age", true},
    {"remission_rate", &ConditionRow::remission, 0, 100, "1/yr", "rate of ending (0: lifelong)",
     true},
    {"muscle_loss", &ConditionRow::muscle_loss, 0, 2, "1/yr",
     "extra relative loss of lean mass and strength", false},
    {"neurogenic_loss", &ConditionRow::neurogenic_loss, 0, 1, "",
     "share of ALM lost in the weeks after onset", false},
    {"activity_penalty", &ConditionRow::activity_penalty, 0, 5, "SD", "drop of the activity score",
     false},
    {"fall_hr", &ConditionRow::fall_hr, 0.1, 10, "", "hazard ratio of falling", false},
    {"mortality_hr", &ConditionRow::mortality_hr, 0.1, 100, "", "hazard ratio of death", false},
    {"admission_hr", &ConditionRow::admission_hr, 0.1, 20, "", "hazard ratio of hospital admission",
     false},
    {"onset_admission", &ConditionRow::onset_admission, 0, 1, "",
     "probability of a hospital stay at onset", false},
};

std::string key_of(int c, const Field& f) {
  return std::string("disease.") + kRows[c].name + "_" + f.suffix;
}

// The values a run uses: the table's defaults as overridden by the scenario.
struct ConditionValues {
  double incidence[2], age_slope, remission, muscle_loss, neurogenic_loss, activity_penalty,
      fall_hr, mortality_hr, admission_hr, onset_admission;
};

}  // namespace

const char* condition_name(Condition c) {
  return kRows[c].name;
}

}  // namespace disease

std::span<const ParamSpec> disease_params() {
  using namespace disease;
  // Built once; the strings live as long as the program, as ParamSpec's views require.
  static const std::vector<ParamSpec> specs = [] {
    static std::deque<std::string> text;
    std::vector<ParamSpec> out;
    out.push_back(bool_param("disease.enabled", true, "onsets of new conditions", "model switch"));
    for (int c = 0; c < kConditionCount; ++c) {
      for (const Field& f : kFields) {
        const std::string& key = text.emplace_back(key_of(c, f));
        const std::string& what = text.emplace_back(std::string(kRows[c].name) + ": " + f.what);
        out.push_back(
            real_param(key, kRows[c].*f.member, f.min, f.max, f.unit, what,
                       f.incidence_field ? kRows[c].incidence_source : kRows[c].effect_source));
      }
    }
    return out;
  }();
  return specs;
}

namespace {
using namespace disease;

constexpr StreamId kOnsetStream = stream("disease.onset");
constexpr StreamId kWhichStream = stream("disease.which");
constexpr StreamId kRemissionStream = stream("disease.remission");
constexpr StreamId kStartStream = stream("disease.at_start");
constexpr int kOnsetSlot = 0, kRemissionSlot = 1;  // hazards kept from marks for quiet days
constexpr int kMaxAge = 121;

class Disease final : public Module {
 public:
  explicit Disease(const ParamSet& p) : enabled_(p.boolean("disease.enabled")) {
    for (int c = 0; c < kConditionCount; ++c) {
      auto v = [&](const char* suffix) {
        for (const Field& f : kFields)
          if (std::string(f.suffix) == suffix) return p.real(key_of(c, f));
        return 0.0;
      };
      ConditionValues& cv = values_[c];
      cv.incidence[kMale] = v("incidence_men");
      cv.incidence[kFemale] = v("incidence_women");
      cv.age_slope = v("age_slope");
      cv.remission = v("remission_rate");
      cv.muscle_loss = v("muscle_loss");
      cv.neurogenic_loss = v("neurogenic_loss");
      cv.activity_penalty = v("activity_penalty");
      cv.fall_hr = v("fall_hr");
      cv.mortality_hr = v("mortality_hr");
      cv.admission_hr = v("admission_hr");
      cv.onset_admission = v("onset_admission");
    }
    // Daily onset hazard of all conditions together, by sex and whole year of age.
    for (int s = 0; s < 2; ++s)
      for (int a = 0; a < kMaxAge; ++a) {
        double total = 0;
        for (int c = 0; c < kConditionCount; ++c)
          total += incidence(values_[c].incidence[s], values_[c].age_slope, a + 0.5);
        total_daily_[s][a] = enabled_ ? total * kPerYearToPerDay : 0.0;
      }
    for (std::uint32_t mask = 0; mask < remission_by_mask_.size(); ++mask)
      remission_by_mask_[mask] = remission_daily_of(static_cast<std::uint16_t>(mask));
  }

  std::string_view name() const override { return "disease"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    conditions_ = pop.add<std::uint16_t>(
        {state::kConditions, "", "bit mask of conditions (docs/model.md)", {}, true, true});
    // The combined effects are a function of the mask: one table by mask, not five columns.
    const auto effect = [&](const char* name, const char* unit, const char* what, float neutral) {
      return pop.add_lookup({name, unit, what, {}}, state::kConditions, kConditionCount, neutral);
    };
    float* tables[] = {
        effect(state::kCatabolicRate, "1/yr", "extra lean-mass loss rate from conditions", 0.0f),
        effect(state::kConditionFallHr, "", "fall hazard ratio from conditions", 1.0f),
        effect(state::kConditionAdmissionHr, "", "admission hazard ratio from conditions", 1.0f),
        effect(state::kConditionMortalityHr, "", "mortality hazard ratio from conditions", 1.0f),
        effect(state::kConditionActivityPenalty, "SD", "activity penalty from conditions", 0.0f)};
    for (std::uint32_t mask = 0; mask < (1u << kConditionCount); ++mask) {
      const Effects e = effects_of(static_cast<std::uint16_t>(mask));
      tables[0][mask] = e.catabolic;
      tables[1][mask] = e.fall;
      tables[2][mask] = e.admission;
      tables[3][mask] = e.mortality;
      tables[4][mask] = e.penalty;
    }
    onset_budget_ = pop.add<HazardBudget>(
        {"disease.onset_budget", kBudgetUnit, "hazard budget of the next onset", {}, false});
    remission_budget_ = pop.add<HazardBudget>({"disease.remission_budget",
                                               kBudgetUnit,
                                               "hazard budget of the next remission",
                                               {},
                                               false});
    for (int c = 0; c < kConditionCount; ++c) {
      const std::string n = kRows[c].name;
      prevalence_[c] =
          reg.add_series({"condition_" + n, "people",
                          "people with " + n + " at the end of the period", SeriesKind::Level});
      onsets_[c] = reg.add_series({"onset_" + n, "onsets", "new cases of " + n, SeriesKind::Count});
    }
    onset_event_ =
        reg.add_event_type({"disease_onset", "condition index (docs/model.md, disease table)"});
    remission_event_ = reg.add_event_type({"disease_end", "condition index"});
  }

  void connect(const Population& pop) override {
    pending_loss_ = pop.get_sparse<float>(state::kPendingNeurogenicLoss);
    admission_request_ = pop.get_sparse<std::uint8_t>(state::kAdmissionRequest);
  }

  void init(const Block& b, const Rng& rng) override {
    // People are stored by day of birth (population/synthesis.cpp), so neighbours of a sex mostly
    // share a birthday: each sex's prevalences are worked out once per birthday, not per person.
    std::int32_t birthday_of[2] = {INT32_MAX, INT32_MAX};  // no one yet: births are before day 0
    std::array<double, kConditionCount> prevalence[2]{};
    initial_budgets(rng, kOnsetStream, b.begin, b.end, onset_budget_);
    initial_budgets(rng, kRemissionStream, b.begin, b.end, remission_budget_);
    if (!enabled_) return;
    static_assert(kConditionCount <= kPhiloxLanes);
    std::uint32_t person[kPhiloxLanes], condition[kPhiloxLanes];
    for (std::uint32_t c = 0; c < kPhiloxLanes; ++c)
      condition[c] = c;
    for (std::uint32_t i = b.begin; i < b.end; ++i) {
      const int s = core_.sex[i];
      if (birthday_of[s] != core_.birth_day[i]) {
        birthday_of[s] = core_.birth_day[i];
        const double age = age_years(0, core_.birth_day[i]);
        for (int c = 0; c < kConditionCount; ++c)
          if (kRows[c].at_start) prevalence[s][c] = prevalence_at_start(values_[c], s, age);
      }
      // The draw of condition c is uniform(kStartStream, i, kInitDay, c): all of them at once.
      std::fill(std::begin(person), std::end(person), i);
      double u[kPhiloxLanes];
      rng.uniform_lanes(kStartStream, person, kInitDay, condition, u);
      std::uint16_t mask = 0;
      for (int c = 0; c < kConditionCount; ++c)
        if (kRows[c].at_start && u[c] < prevalence[s][c]) mask |= bit(static_cast<Condition>(c));
      conditions_[i] = mask;
    }
  }

  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    if (!enabled_) return;
    for (const std::uint32_t i : agents) {
      busy.until_spent(i, onset_budget_[i], onset_daily(i, p.first_day), kOnsetSlot);
      // Without conditions the hazard is 0, which never makes anyone busy.
      busy.until_spent(i, remission_budget_[i], remission_daily(conditions_[i]), kRemissionSlot);
    }
  }
  int remembered_hazards() const override { return 2; }

  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    if (!enabled_) return;
    for (const auto [i, days] : quiet) {
      spend_quiet_quanta(onset_budget_[i], ctx.marked_quanta(kOnsetSlot, i), days);
      // Without conditions the hazard is 0, and the budget stays as it is.
      spend_quiet_quanta(remission_budget_[i], ctx.marked_quanta(kRemissionSlot, i), days);
    }
  }

  void step(const Block&, StepContext& ctx) override {
    if (!enabled_) return;
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      const int s = core_.sex[i];
      if (spend_hazard(onset_budget_[i], onset_daily(i, ctx.period.first_day), ctx.rng,
                       kOnsetStream, i, ctx.day))
        onset(i, s, age_years(ctx.day, core_.birth_day[i]), ctx);
      if (const double r = remission_daily(conditions_[i]);
          r > 0 && spend_hazard(remission_budget_[i], r, ctx.rng, kRemissionStream, i, ctx.day))
        remit(i, ctx);
    }
  }

  void record(RecordContext& ctx) override {
    BandBitCounts<kConditionCount> held(ctx, prevalence_);
    for (const auto [i, sex, band] : ctx.living)
      held.person(sex, band, conditions_[i]);
    held.finish();
  }

 private:
  // Chronic: 1 - exp(-0.7 x incidence accumulated since 50), 0.7 allowing for deaths and
  // undiagnosed cases (assumption). Remitting exposures: the steady state of onset and remission.
  static double prevalence_at_start(const ConditionValues& v, int sex, double age) {
    const double at = incidence(v.incidence[sex], v.age_slope, age);
    if (v.remission > 0) return at / (at + v.remission);
    const double k = v.age_slope;
    const double cumulative =
        std::abs(k) < 1e-9
            ? at * (age - 50)
            : v.incidence[sex] / 1000.0 / k * (std::exp(k * (age - 70)) - std::exp(k * (50 - 70)));
    return age <= 50 ? 0.0 : 1 - std::exp(-0.7 * cumulative);
  }

  double onset_daily(std::uint32_t i, std::int32_t day) const {
    return total_daily_[core_.sex[i]][whole_years_(day, core_.birth_day[i])];
  }

  // The daily hazard of remission of one of the conditions held (0 with none), from a table by
  // mask: a loop over the conditions would mispredict its exit for every other person.
  double remission_daily(std::uint16_t mask) const { return remission_by_mask_[mask]; }
  double remission_daily_of(std::uint16_t mask) const {
    if (!mask) return 0;
    double r = 0;
    for (unsigned m = mask; m != 0; m &= m - 1)  // the conditions held, in order
      r += values_[std::countr_zero(m)].remission;
    return r * kPerYearToPerDay;
  }

  void onset(std::uint32_t i, int sex, double age, StepContext& ctx) {
    // Which condition: in proportion to each one's hazard at this age.
    const auto u = ctx.rng.uniform4(kWhichStream, i, ctx.day);
    double total = 0, w[kConditionCount];
    for (int c = 0; c < kConditionCount; ++c)
      total += w[c] = incidence(values_[c].incidence[sex], values_[c].age_slope, age);
    double x = u[0] * total;
    int c = 0;
    while (c < kConditionCount - 1 && x >= w[c])
      x -= w[c++];
    const auto cond = static_cast<Condition>(c);
    if (conditions_[i] & bit(cond)) return;  // already has it: nothing new happens
    conditions_[i] = static_cast<std::uint16_t>(conditions_[i] | bit(cond));
    ctx.event(i, onset_event_, static_cast<float>(c));
    ctx.tally(onsets_[c], sex, AgeBands::of(age));
    const ConditionValues& v = values_[c];
    if (v.neurogenic_loss > 0)
      pending_loss_.set(i,
                        pending_loss_[i] + static_cast<float>(v.neurogenic_loss * core_.alm_kg[i]));
    if (u[1] < v.onset_admission && !admission_request_[i])
      admission_request_.set(i, kRows[c].admission_reason);
  }

  void remit(std::uint32_t i, StepContext& ctx) {
    const double u = ctx.rng.uniform(kWhichStream, i, ctx.day, 1) *
                     remission_daily(conditions_[i]) / kPerYearToPerDay;
    double x = u;
    for (int c = 0; c < kConditionCount; ++c) {
      const auto cond = static_cast<Condition>(c);
      if (!(conditions_[i] & bit(cond)) || values_[c].remission <= 0) continue;
      if (x < values_[c].remission) {
        conditions_[i] = static_cast<std::uint16_t>(conditions_[i] & ~bit(cond));
        ctx.event(i, remission_event_, static_cast<float>(c));
        return;
      }
      x -= values_[c].remission;
    }
  }

  // The combined effects of a set of conditions that other modules read.
  struct Effects {
    float catabolic, penalty, fall, admission, mortality;
  };
  Effects effects_of(std::uint16_t mask) const {
    double loss = 0, penalty = 0, fall = 1, admission = 1, mortality = 1;
    for (int c = 0; c < kConditionCount; ++c) {
      if (!(mask & bit(static_cast<Condition>(c)))) continue;
      const ConditionValues& v = values_[c];
      loss += v.muscle_loss;
      penalty += v.activity_penalty;
      fall *= v.fall_hr;
      admission *= v.admission_hr;
      mortality *= v.mortality_hr;
    }
    return {static_cast<float>(loss), static_cast<float>(penalty), static_cast<float>(fall),
            static_cast<float>(admission), static_cast<float>(mortality)};
  }

  bool enabled_;
  ConditionValues values_[kConditionCount];
  double total_daily_[2][kMaxAge];
  // Whole years of age (at most kMaxAge - 1) by day of age: the same index into total_daily_
  // without a division for every person and period.
  BasicDayOfAgeTable<std::uint8_t> whole_years_{[](double age) {
    return static_cast<std::uint8_t>(std::clamp(static_cast<int>(age), 0, kMaxAge - 1));
  }};
  std::vector<double> remission_by_mask_ = std::vector<double>(1u << kConditionCount);
  CoreColumns core_{};
  std::uint16_t* conditions_ = nullptr;
  Sparse<float> pending_loss_;
  HazardBudget *onset_budget_ = nullptr, *remission_budget_ = nullptr;
  Sparse<std::uint8_t> admission_request_;
  SeriesId prevalence_[kConditionCount] = {}, onsets_[kConditionCount] = {};
  EventTypeId onset_event_ = 0, remission_event_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_disease(const ParamSet& params) {
  return std::make_unique<Disease>(params);
}

}  // namespace sarcosim
