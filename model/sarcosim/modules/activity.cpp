#include "sarcosim/modules/activity.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "sarcosim/core/band_counts.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/core/vector_clones.hpp"

namespace sarcosim {
namespace {

// A standard normal draw, kept to 2^-12 SD in [-8, 8) SD (core/fixed16.hpp).
using Propensity = Fixed16<-8, 12>;
// The lasting penalty, to 2^-11 SD in [0, 32) SD: a sum of hip-fracture penalties of at most 5 SD
// each (the parameter's range).
using LastingPenalty = Fixed16<0, 11>;

// One day of fading of a penalty: daily steps and quiet days must do exactly this. The penalty
// and the daily factor are floats, so this is float arithmetic (8 lanes a register under AVX2).
inline float faded(float penalty, float decay) {
  return penalty * decay;
}

// Fading for kFadeLanes penalties at once, in vector registers (core/vector_clones.hpp), lane j
// for days[j] days: past them it fades by a factor of 1, which leaves it exactly as it is. 32
// lanes: at 16 GCC unrolls the loops into scalar code.
constexpr int kFadeLanes = 32;
SARCOSIM_VECTOR_CLONES
void fade_lanes(float (&pen)[kFadeLanes], float decay, const std::int32_t (&days)[kFadeLanes],
                std::int32_t most_days) {
  const std::int32_t all_days = fewest_days(days);
  for (std::int32_t d = 0; d < all_days; ++d)
    for (int j = 0; j < kFadeLanes; ++j)
      pen[j] = faded(pen[j], decay);
  alignas(64) float today[kFadeLanes];
  for (std::int32_t d = all_days; d < most_days; ++d) {
    lane_factors(today, decay, 1.0f, days, d);
    for (int j = 0; j < kFadeLanes; ++j)
      pen[j] = faded(pen[j], today[j]);
  }
}

}  // namespace

std::span<const ParamSpec> activity_params() {
  static constexpr ParamSpec k[] = {
      real_param("activity.share_inactive_70", 0.35, 0.01, 0.97, "",
                 "share inactive (<30 min/wk moderate activity) at 70 among people with no "
                 "condition or penalty (about 42 % of everyone at 69-71 with the default)",
                 "assumption from NHIS 2013-15 (MMWR 2016;65(37)) and accelerometry (Evenson "
                 "2012, Spartano 2019); self-report overstates activity"),
      real_param("activity.share_low_70", 0.20, 0.01, 0.97, "", "share with low activity at 70",
                 "assumption (as share_inactive_70)"),
      real_param("activity.share_moderate_70", 0.10, 0.01, 0.97, "",
                 "share with moderate activity (below 150 min/wk) at 70; the rest meet guidelines",
                 "assumption (as share_inactive_70)"),
      real_param("activity.age_decline", 0.025, 0, 0.2, "SD/yr",
                 "fall of the activity score per year of age (conditions lower it further)",
                 "calibrated: meeting the aerobic guideline 42.5 % at 65-74 -> 19.4 % at 85+ "
                 "(MMWR 2016, self-report) and 15 % at 75+ by accelerometer (Spartano 2019)"),
      real_param("activity.hospital_penalty", 0.8, 0, 5, "SD",
                 "drop of the activity score at discharge from hospital",
                 "assumption: steps after discharge ~1/3 of usual (Kolk 2021 JAMDA 22:425; "
                 "STAND-Cph 2022)"),
      real_param("activity.penalty_halflife_days", 60, 1, 3650, "days",
                 "half-life of the hospital and fear-of-falling penalties",
                 "assumption: uptime unchanged 1 to 4 weeks after discharge (STAND-Cph 2022)"),
      real_param("activity.fear_of_falling_share", 0.5, 0, 1, "",
                 "share of people who develop fear of falling after a fall",
                 "Scheffer 2008, Age Ageing 37:19: 40-70% of recent fallers (recalled)"),
      real_param("activity.fear_penalty", 0.4, 0, 5, "SD",
                 "drop of the activity score with fear of falling",
                 "assumption: 60% of fearful people restrict moderately (Deshpande 2008, JAGS)"),
      real_param("activity.hip_fracture_lasting_share", 0.5, 0, 1, "",
                 "share of hip-fracture survivors who never regain their former mobility",
                 "Dyer 2016, BMC Geriatr 16:158: 40-60% regain pre-fracture mobility"),
      real_param("activity.hip_fracture_penalty", 1.0, 0, 5, "SD",
                 "lasting drop of the activity score for those who do not regain mobility",
                 "assumption"),
      real_param("activity.care_home_penalty", 1.0, 0, 5, "SD",
                 "drop of the activity score while living in a care home", "assumption"),
  };
  return k;
}

namespace {

constexpr StreamId kPropensityStream = stream("activity.propensity");
constexpr StreamId kAfterEventStream = stream("activity.after_event");

class Activity final : public Module {
 public:
  explicit Activity(const ParamSet& p)
      : decline_(p.real("activity.age_decline")),
        hospital_penalty_(p.real("activity.hospital_penalty")),
        decay_(static_cast<float>(
            std::exp(-std::log(2.0) / p.real("activity.penalty_halflife_days")))),
        fear_share_(p.real("activity.fear_of_falling_share")),
        fear_penalty_(p.real("activity.fear_penalty")),
        hip_share_(p.real("activity.hip_fracture_lasting_share")),
        hip_penalty_(p.real("activity.hip_fracture_penalty")),
        care_home_penalty_(p.real("activity.care_home_penalty")) {
    // Cut points of a standard normal score at 70 that give the three lower shares.
    const double s0 = p.real("activity.share_inactive_70");
    const double s1 = s0 + p.real("activity.share_low_70");
    const double s2 = s1 + p.real("activity.share_moderate_70");
    if (!(s2 < 1))  // the rest, 1 - s2, meet the guidelines: there must be some
      throw InputError(p.value("activity.share_inactive_70").origin +
                       ": activity.share_inactive_70 + share_low_70 + share_moderate_70 = " +
                       format_number(s2) + " must be below 1 (the rest meet the guidelines)");
    cut_[0] = probit(std::min(s0, 0.999));
    cut_[1] = probit(std::min(s1, 0.9995));
    cut_[2] = probit(std::min(s2, 0.9999));
  }

  std::string_view name() const override { return "activity"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    level_ = pop.add<std::uint8_t>({state::kActivity,
                                    "",
                                    "0 inactive, 1 low, 2 moderate, 3 meets 150 min/wk",
                                    {},
                                    true,
                                    true});
    propensity_ =
        pop.add<Propensity>({"activity.propensity", "SD", "lasting activity propensity", {}});
    penalty_ = pop.add<float>({"activity.event_penalty",
                               "SD",
                               "fading drop of activity after hospital stays and falls",
                               {}});
    lasting_ = pop.add<LastingPenalty>({"activity.lasting_penalty",
                                        "SD",
                                        "lasting drop of activity (hip fracture without recovery)",
                                        {}});
    for (int l = 0; l < state::kActivityLevels; ++l)
      series_[l] = reg.add_series({"activity_level_" + std::to_string(l), "people",
                                   std::string("people at activity level ") + std::to_string(l) +
                                       " (0 inactive, 1 low, 2 moderate, 3 meets guidelines)",
                                   SeriesKind::Level});
    fear_event_ = reg.add_event_type({"fear_of_falling", "activity penalty added (SD)"});
  }

  void connect(const Population& pop) override {
    penalty_conditions_ = pop.lookup(state::kConditionActivityPenalty);
    since_discharge_ = pop.get<std::int16_t>(state::kDaysSinceDischarge);
    care_home_ = pop.get<std::uint8_t>(state::kCareHome);
    last_fall_ = pop.get<Day16>(state::kLastFallDay);
    last_hip_ = pop.get<Day16>(state::kLastHipFractureDay);
  }

  void init(const Block& b, const Rng& rng) override {
    rng.for_each_normal(kPropensityStream, b.begin, b.end, kInitDay,
                        [&](std::uint32_t i, double z) { propensity_[i] = static_cast<float>(z); });
    for (std::uint32_t i = b.begin; i < b.end; ++i)
      level_[i] = level_for(i, 0);
  }

  // Busy: just discharged, or a fall or hip fracture on the period's eve (they act next day).
  void mark_busy(std::span<const std::uint32_t> agents, const Period&,
                 BusyMarks& busy) const override {
    const Day16 eve = busy.first_day() - 1;
    for (const std::uint32_t i : agents)
      if (since_discharge_[i] == 0 || last_fall_[i].is(eve) || last_hip_[i].is(eve)) busy.now(i);
  }

  // The penalty fades by the daily arithmetic, rounding included, as if stepped daily:
  // kFadeLanes people at a time side by side (fade_lanes), since each person's days form a chain
  // of dependent multiplications.
  void advance_quiet(std::span<const QuietDays> quiet, QuietContext&) override {
    alignas(64) float pen[kFadeLanes] = {};
    alignas(64) std::int32_t days_of[kFadeLanes] = {};
    std::uint32_t who[kFadeLanes];
    int n = 0;
    std::int32_t most_days = 0;
    auto flush = [&] {
      fade_lanes(pen, decay_, days_of, most_days);
      for (int j = 0; j < n; ++j)
        penalty_[who[j]] = pen[j];
      std::fill(pen, pen + kFadeLanes, 0.0f);
      std::fill(days_of, days_of + kFadeLanes, 0);
      n = 0;
      most_days = 0;
    };
    for (const auto [i, days] : quiet) {
      // Only penalties above 0 need fading (0 fades to 0). Everyone is written to the next lane
      // and only those are kept (n moves on), without a branch that half the people would take.
      const std::int32_t fades = penalty_[i] != 0;
      who[n] = i;
      pen[n] = penalty_[i];
      days_of[n] = days & -fades;  // 0 days: the lane is left as it is
      most_days = std::max(most_days, days_of[n]);
      n += fades;
      if (n == kFadeLanes) flush();
    }
    if (n > 0) flush();
  }

  void step(const Block&, StepContext& ctx) override {
    const Day16 yesterday = ctx.day - 1;
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      float pen = faded(penalty_[i], decay_);
      bool moved = false;
      if (since_discharge_[i] == 0) {
        pen += static_cast<float>(hospital_penalty_);
        moved = true;
      }
      if (last_fall_[i].is(yesterday) || last_hip_[i].is(yesterday)) {
        moved = true;
        const auto u = ctx.rng.uniform4(kAfterEventStream, i, ctx.day);
        if (last_fall_[i].is(yesterday) && u[0] < fear_share_) {
          pen += static_cast<float>(fear_penalty_);
          ctx.event(i, fear_event_, static_cast<float>(fear_penalty_));
        }
        if (last_hip_[i].is(yesterday) && u[1] < hip_share_)
          lasting_[i] = lasting_[i] + hip_penalty_;
      }
      penalty_[i] = pen;
      if (moved) level_[i] = level_for(i, ctx.day);
    }
  }

  // The level follows age and the fading penalty here, at the period's end, and moves at once
  // only after an event: so everyone's rates stay those of the period's first day unless
  // something happens, whether they step daily or quietly (core/module.hpp).
  void record(RecordContext& ctx) override {
    const std::int32_t last = ctx.period.end_day - 1;
    BandCounts<state::kActivityLevels> counts(ctx, std::to_array(series_));
    for (const auto [i, sex, band] : ctx.living) {
      const std::uint8_t level = level_[i] = level_for(i, last);
      counts.person(sex, band);
      for (int l = 0; l < state::kActivityLevels; ++l)
        counts.count(l, level == l);
    }
    counts.finish();
  }

 private:
  static double probit(double p) {
    // Acklam's rational approximation is more than enough for cut points; refine once by Newton.
    double x = std::sqrt(2.0) * inverse_erf(2 * p - 1);
    return x;
  }
  static double inverse_erf(double y) {
    double x = 0;
    for (int k = 0; k < 60; ++k) {  // Newton on erf(x) = y
      const double f = std::erf(x) - y;
      x -= f / (2 / std::sqrt(M_PI) * std::exp(-x * x));
    }
    return x;
  }

  std::uint8_t level_for(std::uint32_t i, std::int32_t day) const {
    const double age = age_years(day, core_.birth_day[i]);
    const double score = propensity_[i] - decline_ * (age - 70) - penalty_conditions_[i] -
                         penalty_[i] - lasting_[i] - (care_home_[i] ? care_home_penalty_ : 0.0);
    return physiology::activity_level(score, cut_);
  }

  double cut_[3];
  double decline_, hospital_penalty_;
  float decay_;  // the penalty's daily factor
  double fear_share_, fear_penalty_, hip_share_, hip_penalty_, care_home_penalty_;
  CoreColumns core_{};
  std::uint8_t* level_ = nullptr;
  Propensity* propensity_ = nullptr;
  float* penalty_ = nullptr;
  LastingPenalty* lasting_ = nullptr;
  LookupColumn penalty_conditions_;
  std::int16_t* since_discharge_ = nullptr;
  std::uint8_t* care_home_ = nullptr;
  Day16 *last_fall_ = nullptr, *last_hip_ = nullptr;
  SeriesId series_[state::kActivityLevels] = {};
  EventTypeId fear_event_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_activity(const ParamSet& params) {
  return std::make_unique<Activity>(params);
}

}  // namespace sarcosim
