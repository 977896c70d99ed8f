#include "sarcosim/modules/fractures.hpp"

#include <cmath>
#include <string>

#include "sarcosim/core/band_counts.hpp"
#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> fractures_params() {
  static constexpr ParamSpec k[] = {
      bool_param("fractures.enabled", true, "fractures", "model switch"),
      real_param("fractures.per_fall_hip_75", 0.003, 0, 1, "",
                 "probability that a fall at 75 breaks a hip (without osteoporosis)",
                 "calibrated to hip fractures per 1000 person-years at 60+: women 7.6, men 3.3 "
                 "(Dubbo, Chang 2004 JBMR); ~1 % of all falls (Tinetti 2003)"),
      real_param("fractures.per_fall_wrist_75", 0.006, 0, 1, "", "same, wrist",
                 "calibrated to all fractures at 60+: women 32.5, men 19.4 per 1000 person-years "
                 "(Jones 1994, Osteoporos Int, Dubbo), with GLOW's site mix (Costa 2013)"),
      real_param("fractures.per_fall_vertebral_75", 0.002, 0, 1, "", "same, clinical vertebral",
                 "calibrated as per_fall_wrist_75"),
      real_param("fractures.per_fall_humerus_75", 0.003, 0, 1, "", "same, proximal humerus",
                 "calibrated as per_fall_wrist_75"),
      real_param("fractures.per_fall_other_75", 0.007, 0, 1, "",
                 "same, other sites (pelvis, rib...)", "calibrated as per_fall_wrist_75"),
      real_param("fractures.hip_age_slope", 0.08, 0, 0.3, "1/yr",
                 "log change of the hip probability per year of age",
                 "derived: hip 10 % of fractures at 60-80 vs 41 % at 80+ (Jones 1994)"),
      real_param("fractures.other_age_slope", 0.02, -0.1, 0.3, "1/yr",
                 "log change of the other sites' probabilities per year of age", "assumption"),
      real_param("fractures.osteoporosis_hip_rr", 3.0, 1, 20, "",
                 "relative risk of a hip fracture per fall with osteoporosis",
                 "assumption from hip BMD RR 2.6 per SD (Marshall 1996, BMJ 312:1254, recalled)"),
      real_param("fractures.osteoporosis_rr", 2.0, 1, 20, "",
                 "relative risk of other fractures with osteoporosis",
                 "assumption from RR ~1.5 per SD (Marshall 1996, recalled)"),
      real_param("fractures.osteoporosis_women_70", 0.20, 0, 1, "",
                 "share of women with osteoporosis at 70",
                 "Looker & Frenk 2015, NCHS Health E-Stat: women 65+ 24.8 %"),
      real_param("fractures.osteoporosis_men_70", 0.05, 0, 1, "",
                 "share of men with osteoporosis at 70", "Looker & Frenk 2015: men 65+ 5.6 %"),
      real_param("fractures.osteoporosis_age_slope", 0.06, 0.001, 0.5, "1/yr",
                 "log-odds change of osteoporosis per year of age",
                 "derived: 12.8 % at 65-79 vs 25.7 % at 80+ (Looker & Frenk 2015)"),
      real_param("fractures.vertebral_no_fall_women", 5.9, 0, 100, "per 1000 py",
                 "vertebral fractures without a fall, women",
                 "EPOS: 10.7 per 1000 py morphometric, x 0.55 not preceded by a fall (Costa 2013)"),
      real_param("fractures.vertebral_no_fall_men", 3.1, 0, 100, "per 1000 py",
                 "vertebral fractures without a fall, men", "EPOS: 5.7 per 1000 py x 0.55"),
      real_param("fractures.admission_vertebral", 0.3, 0, 1, "",
                 "share of vertebral fractures admitted to hospital", "assumption"),
      real_param("fractures.admission_wrist", 0.05, 0, 1, "", "share of wrist fractures admitted",
                 "assumption (mostly treated as outpatients)"),
      real_param("fractures.admission_humerus", 0.3, 0, 1, "",
                 "share of humerus fractures admitted", "assumption"),
      real_param("fractures.admission_other", 0.4, 0, 1, "", "share of other fractures admitted",
                 "assumption; check: fracture stays 9/23/51 per 1000/yr at 65-74/75-84/85+ (NCHS "
                 "Data Brief 182)"),
      real_param("fractures.hip_mortality_hr_women", 5.75, 1, 50, "",
                 "mortality hazard ratio in the 3 months after a hip fracture, women",
                 "Haentjens 2010, Ann Intern Med 152:380"),
      real_param("fractures.hip_mortality_hr_men", 7.95, 1, 50, "",
                 "mortality hazard ratio in the 3 months after a hip fracture, men",
                 "Haentjens 2010"),
      real_param("fractures.hip_mortality_hr_3_12_months", 2.0, 1, 50, "",
                 "mortality hazard ratio 3-12 months after a hip fracture",
                 "assumption (Haentjens 2010: declining after 3 months)"),
      real_param("fractures.hip_mortality_hr_year_2", 1.4, 1, 50, "",
                 "mortality hazard ratio in the second year after a hip fracture", "assumption"),
      real_param("fractures.other_mortality_hr", 1.5, 1, 50, "",
                 "mortality hazard ratio in the year after a vertebral, humerus or other fracture",
                 "Bliuc 2009, JAMA 301:513: SMR 1.65-2.12 over 5 years (assumption for 1 year)"),
  };
  return k;
}

namespace {

using namespace fracture;
constexpr StreamId kSiteStream = stream("fractures.site");
constexpr StreamId kOsteoStream = stream("fractures.osteoporosis");
constexpr StreamId kVertebralStream = stream("fractures.vertebral_no_fall");
constexpr int kVertebralSlot = 0;  // the vertebral fracture hazard, kept from marks for quiet days

class Fractures final : public Module {
 public:
  explicit Fractures(const ParamSet& p)
      : enabled_(p.boolean("fractures.enabled")),
        hip_slope_(p.real("fractures.hip_age_slope")),
        other_slope_(p.real("fractures.other_age_slope")),
        osteo_hip_rr_(p.real("fractures.osteoporosis_hip_rr")),
        osteo_rr_(p.real("fractures.osteoporosis_rr")),
        osteo70_{p.real("fractures.osteoporosis_men_70"),
                 p.real("fractures.osteoporosis_women_70")},
        osteo_slope_(p.real("fractures.osteoporosis_age_slope")),
        vertebral_{p.real("fractures.vertebral_no_fall_men") / 1000 * kPerYearToPerDay,
                   p.real("fractures.vertebral_no_fall_women") / 1000 * kPerYearToPerDay},
        hip_hr_{p.real("fractures.hip_mortality_hr_men"),
                p.real("fractures.hip_mortality_hr_women")},
        hip_hr_3_12_(p.real("fractures.hip_mortality_hr_3_12_months")),
        hip_hr_2_(p.real("fractures.hip_mortality_hr_year_2")),
        other_hr_(p.real("fractures.other_mortality_hr")),
        osteo_ratio_{1.0, osteo_rr_} {
    per_fall_[kHip] = p.real("fractures.per_fall_hip_75");
    per_fall_[kWrist] = p.real("fractures.per_fall_wrist_75");
    per_fall_[kVertebral] = p.real("fractures.per_fall_vertebral_75");
    per_fall_[kHumerus] = p.real("fractures.per_fall_humerus_75");
    per_fall_[kOther] = p.real("fractures.per_fall_other_75");
    admission_[kHip] = 1.0;
    admission_[kWrist] = p.real("fractures.admission_wrist");
    admission_[kVertebral] = p.real("fractures.admission_vertebral");
    admission_[kHumerus] = p.real("fractures.admission_humerus");
    admission_[kOther] = p.real("fractures.admission_other");
  }

  std::string_view name() const override { return "fractures"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    last_hip_ = pop.add<Day16>(
        {state::kLastHipFractureDay, "day", "day of the last hip fracture", {}}, state::kNever);
    last_other_ = pop.add<Day16>({state::kLastOtherFractureDay,
                                  "day",
                                  "day of the last vertebral, humerus or other fracture",
                                  {}},
                                 state::kNever);
    mortality_hr_ = pop.add<Ratio16>(
        {state::kFractureMortalityHr, "", "mortality hazard ratio after a fracture", {}}, 1.0);
    osteo_day_ =
        pop.add<Day16>({"fractures.osteoporosis_from_day",
                        "day",
                        "day from which the person has osteoporosis (2147483647: never in the run)",
                        {}});
    count_ = pop.add_sparse<std::uint8_t>(
        {"fractures.count", "fractures", "fractures during the run", {}});
    budget_ = pop.add<HazardBudget>({"fractures.vertebral_budget",
                                     kBudgetUnit,
                                     "hazard budget of a vertebral fracture without a fall",
                                     {},
                                     false});
    for (int s = 1; s < kSites; ++s)
      series_[s] = reg.add_series({std::string("fractures_") + kSiteNames[s], "fractures",
                                   std::string(kSiteNames[s]) + " fractures", SeriesKind::Count});
    osteo_series_ =
        reg.add_series({"osteoporosis", "people", "people with osteoporosis", SeriesKind::Level});
    event_ =
        reg.add_event_type({"fracture", "site: 1 hip, 2 wrist, 3 vertebral, 4 humerus, 5 other"});
  }

  void connect(const Population& pop) override {
    last_fall_ = pop.get<Day16>(state::kLastFallDay);
    request_ = pop.get_sparse<std::uint8_t>(state::kAdmissionRequest);
    hip_effect_ = pop.sparse_lookup(state::kHipFractureMultiplier);
  }

  // Osteoporosis from the age at which the prevalence curve reaches the person's own draw, so the
  // prevalence by age is right at the start and it only ever begins, never ends.
  void init(const Block& b, const Rng& rng) override {
    initial_budgets(rng, kVertebralStream, b.begin, b.end, budget_);
    rng.for_each_uniform(kOsteoStream, b.begin, b.end, kInitDay, [&](std::uint32_t i, double u) {
      const double p70 = osteo70_[core_.sex[i]];
      const double onset_age =
          70 + (std::log(u / (1 - u)) - std::log(p70 / (1 - p70))) / osteo_slope_;
      const double days = (onset_age - age_years(0, core_.birth_day[i])) * kDaysPerYear;
      osteo_day_[i] = days <= 0 ? -1 : days >= 1e9 ? kNotDead : static_cast<std::int32_t>(days);
    });
  }

  // Busy: osteoporosis begins in the period (the hazard changes), or the vertebral budget may
  // run out. Fractures after a fall come with the fall, which makes the person busy.
  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    if (!enabled_) return;
    for (const std::uint32_t i : agents) {
      // One test (most people's onset is in the past or after the period): one branch, rarely
      // taken.
      const std::int32_t onset = osteo_day_[i];
      const bool after_first = onset > busy.first_day(), before_end = onset < p.end_day;
      if (after_first & before_end) busy.from_day(i, onset);
      busy.until_spent(i, budget_[i], vertebral_hazard(i, busy.first_day()), kVertebralSlot);
    }
  }
  int remembered_hazards() const override { return 1; }

  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    if (!enabled_) return;
    for (const auto [i, days] : quiet)
      spend_quiet_quanta(budget_[i], ctx.marked_quanta(kVertebralSlot, i), days);
  }

  void step(const Block&, StepContext& ctx) override {
    if (!enabled_) return;
    const Day16 today = ctx.day;
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      auto age = [&] { return age_years(ctx.day, core_.birth_day[i]); };  // on events only
      if (last_fall_[i].is(today)) {
        const bool osteo = ctx.day >= osteo_day_[i];
        if (const Site site = site_of_fall(i, age(), osteo, ctx)) fracture(i, site, age(), ctx);
      }
      if (spend_hazard(budget_[i], vertebral_hazard(i, ctx.day), ctx.rng, kVertebralStream, i,
                       ctx.day))  // osteoporosis begins on its day, which makes the person busy
        fracture(i, kVertebral, age(), ctx);
    }
  }

  // Also moves the post-fracture mortality ratio on to the period's last day: it changes at a
  // fracture and at period ends only, the same whether a person steps daily or quietly.
  void record(RecordContext& ctx) override {
    const std::int32_t last = ctx.period.end_day - 1;
    BandCounts<1> osteoporotic(ctx, {osteo_series_});
    for (const auto [i, sex, band] : ctx.living) {
      if (!last_hip_[i].never() || !last_other_[i].never()) update_mortality_hr(i, last);
      osteoporotic.person(sex, band);
      osteoporotic.count(0, last >= osteo_day_[i]);
    }
    osteoporotic.finish();
  }

 private:
  Site site_of_fall(std::uint32_t i, double age, bool osteo, StepContext& ctx) const {
    const double u = ctx.rng.uniform(kSiteStream, i, ctx.day);
    double cumulative = 0;
    for (int s = kHip; s < kSites; ++s) {
      const double slope = s == kHip ? hip_slope_ : other_slope_;
      const double rr = osteo ? (s == kHip ? osteo_hip_rr_ : osteo_rr_) : 1.0;
      cumulative +=
          per_fall_[s] * std::exp(slope * (age - 75)) * rr * (s == kHip ? hip_effect_[i] : 1.0f);
      if (u < cumulative) return static_cast<Site>(s);
    }
    return kNone;
  }

  void fracture(std::uint32_t i, Site site, double age, StepContext& ctx) {
    (site == kHip ? last_hip_ : last_other_)[i] = ctx.day;
    if (count_[i] < 255) count_.set(i, static_cast<std::uint8_t>(count_[i] + 1));
    ctx.event(i, event_, site);
    ctx.tally(series_[site], core_.sex[i], AgeBands::of(age));
    const double u = ctx.rng.uniform(kSiteStream, i, ctx.day, 1);
    if (u < admission_[site] && !request_[i])
      request_.set(i, site == kHip ? state::kAdmitHipFracture : state::kAdmitOtherFracture);
    update_mortality_hr(i, ctx.day);
  }

  double vertebral_hazard(std::uint32_t i, std::int32_t day) const {
    return vertebral_[core_.sex[i]] * osteo_ratio_[day >= osteo_day_[i]];
  }

  void update_mortality_hr(std::uint32_t i, std::int32_t day) {
    double hr = 1;
    if (!last_hip_[i].never())
      hr *= hip_fracture_mortality_hr(hip_hr_[core_.sex[i]], hip_hr_3_12_, hip_hr_2_,
                                      day - last_hip_[i]);
    if (!last_other_[i].never() && day - last_other_[i] < 365) hr *= other_hr_;
    mortality_hr_[i] = hr;
  }

  bool enabled_;
  double per_fall_[kSites] = {}, admission_[kSites] = {};
  double hip_slope_, other_slope_, osteo_hip_rr_, osteo_rr_, osteo70_[2], osteo_slope_,
      vertebral_[2], hip_hr_[2], hip_hr_3_12_, hip_hr_2_, other_hr_;
  double osteo_ratio_[2];  // the vertebral rate's ratio without and with osteoporosis: a load
  CoreColumns core_{};
  Day16 *last_hip_ = nullptr, *last_other_ = nullptr, *osteo_day_ = nullptr, *last_fall_ = nullptr;
  Ratio16* mortality_hr_ = nullptr;
  SparseLookupColumn hip_effect_;
  Sparse<std::uint8_t> count_;  // 0 for most people (core/sparse_column.hpp)
  Sparse<std::uint8_t> request_;
  HazardBudget* budget_ = nullptr;
  SeriesId series_[kSites] = {}, osteo_series_ = -1;
  EventTypeId event_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_fractures(const ParamSet& params) {
  return std::make_unique<Fractures>(params);
}

}  // namespace sarcosim
