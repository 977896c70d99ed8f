#include "sarcosim/modules/muscle.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "sarcosim/core/age_table.hpp"
#include "sarcosim/core/select.hpp"
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/core/vector_clones.hpp"
#include "sarcosim/physiology/anabolic.hpp"
#include "sarcosim/physiology/disuse.hpp"
#include "sarcosim/physiology/muscle_ageing.hpp"

namespace sarcosim {

std::span<const ParamSpec> muscle_params() {
  static constexpr ParamSpec k[] = {
      bool_param("muscle.enabled", true, "changes of lean mass and strength", "model switch"),
      real_param("muscle.alm_loss_rate_men", 0.0038, 0, 0.1, "1/yr",
                 "intrinsic relative loss of appendicular lean mass per year at 75, men (before "
                 "disuse episodes, disease and malnutrition)",
                 "calibrated so that survivors aged 70-79 lose ~1 %/yr in all (Goodpaster 2006; "
                 "Mitchell 2012: 0.80-0.98 %/yr men, 0.64-0.70 women); `sarcosim validate`"),
      real_param("muscle.alm_loss_rate_women", 0.0029, 0, 0.1, "1/yr",
                 "intrinsic relative loss of appendicular lean mass per year at 75, women",
                 "calibrated as alm_loss_rate_men, keeping Mitchell 2012's ratio women/men"),
      real_param("muscle.grip_loss_rate_men", 0.0085, 0, 0.2, "1/yr",
                 "intrinsic relative loss of grip strength per year at 75, men",
                 "half of Frederiksen 2006 (-0.59 kg/yr / Dodds 2014 median 35 kg at 75), as the "
                 "lean-mass rate was halved by calibration"),
      real_param("muscle.grip_loss_rate_women", 0.0075, 0, 0.2, "1/yr",
                 "intrinsic relative loss of grip strength per year at 75, women",
                 "half of Frederiksen 2006 (-0.31 kg/yr / Dodds 2014 median 21 kg at 75)"),
      real_param("muscle.leg_strength_loss_rate_men", 0.018, 0, 0.3, "1/yr",
                 "intrinsic relative loss of knee-extensor strength per year at 75, men",
                 "calibrated so that strength falls ~3 times faster than lean mass at 70-79 "
                 "(Goodpaster 2006: 3.4 %/yr white men)"),
      real_param("muscle.leg_strength_loss_rate_women", 0.014, 0, 0.3, "1/yr",
                 "intrinsic relative loss of knee-extensor strength per year at 75, women",
                 "calibrated as the men's rate (Goodpaster 2006: 2.6 %/yr white women)"),
      real_param("muscle.loss_rate_age_slope", 0.03, 0, 0.2, "1/yr",
                 "relative change of the age-related loss rates per year of age away from 75",
                 "assumption: losses accelerate with age (Mitchell 2012; Goodpaster 2006)"),
      real_param("muscle.loss_rate_sd", 0.3, 0, 2, "",
                 "SD of the log of each person's loss-rate multiplier (mean multiplier 1)",
                 "assumption: wide between-person variation in longitudinal loss (Mitchell 2012)"),
      real_param("muscle.activity_multiplier_inactive", 1.3, 0, 5, "",
                 "loss-rate multiplier when inactive", "assumption"),
      real_param("muscle.activity_multiplier_low", 1.1, 0, 5, "",
                 "loss-rate multiplier, low activity", "assumption"),
      real_param("muscle.activity_multiplier_moderate", 0.9, 0, 5, "",
                 "loss-rate multiplier, moderate activity", "assumption"),
      real_param("muscle.activity_multiplier_active", 0.75, 0, 5, "",
                 "loss-rate multiplier when meeting activity guidelines", "assumption"),
      real_param("muscle.protein_gradient", 1.23, 0, 10, "per g/kg/day",
                 "rise of the loss rate per g/kg/day of protein below the reference",
                 "derived from Houston 2008, AJCN 87:150: 3-yr ALM loss -0.40 kg (top quintile, "
                 "~1.1 g/kg) vs -0.66 kg (bottom, ~0.7 g/kg; quintile means recalled)"),
      real_param("muscle.protein_reference", 0.9, 0, 3, "g/kg/day",
                 "intake at which the protein multiplier is 1", "as protein_gradient"),
      real_param("muscle.protein_ceiling", 1.6, 0, 5, "g/kg/day",
                 "intake above which protein adds nothing",
                 "Morton 2018, BJSM 52:376: no extra gain above ~1.6 g/kg/day"),
      real_param("muscle.malnutrition_loss_rate", 0.02, 0, 1, "1/yr",
                 "extra relative loss while malnourished", "assumption"),
      real_param("muscle.disuse_mass_amplitude", 0.0676, 0, 1, "",
                 "A in leg lean loss = A ln(1 + days/tau) in full bed rest",
                 "Kortebein 2007, JAMA 297:1772: -6 % leg lean in 10 days at ~67 y"),
      real_param("muscle.disuse_mass_tau_days", 7, 0.1, 365, "days",
                 "tau of the disuse mass time course",
                 "Marusic 2021, J Appl Physiol 131:194: -2.2 % at 5 d, -3.6 % at 10 d"),
      real_param("muscle.disuse_strength_amplitude", 0.0846, 0, 2, "",
                 "B in knee-extensor strength loss = B ln(1 + days/tau)",
                 "fitted to Kortebein 2008 (J Gerontol A 63:1076: -13 to -16 % in 10 d), Wall "
                 "2014 (-9 % in 5 d) and Marusic 2021's strength/atrophy ratio (2.4 at 14 d, "
                 "1.9 beyond 35 d)"),
      real_param("muscle.disuse_strength_tau_days", 2.2, 0.1, 365, "days",
                 "tau of the disuse strength time course (strength is lost earlier than mass)",
                 "same fit as disuse_strength_amplitude"),
      real_param("muscle.leg_share_of_alm", 0.75, 0.3, 0.95, "",
                 "share of appendicular lean mass in the legs", "assumption (DXA: ~3/4 in legs)"),
      real_param("muscle.arm_disuse_factor", 0.25, 0, 1, "",
                 "arm lean loss in bed rest relative to leg loss", "assumption (arms stay in use)"),
      real_param("muscle.grip_disuse_factor", 0.5, 0, 1, "",
                 "grip strength loss in bed rest relative to knee-extensor loss",
                 "assumption (hands stay in use)"),
      real_param("muscle.icu_mass_factor", 2.8, 1, 10, "",
                 "disuse mass loss in intensive care relative to bed rest",
                 "derived: rectus femoris -2.1 %/day in week 1 (Fazzini 2023, Crit Care 27:2) vs "
                 "~0.7 %/day in bed rest"),
      real_param("muscle.icu_strength_factor", 2.0, 1, 10, "",
                 "disuse strength loss in intensive care relative to bed rest",
                 "assumption (ICU-acquired weakness in 48 %, Fazzini 2023)"),
      real_param("muscle.recovery_halflife_days", 14, 1, 365, "days",
                 "half-life of the recoverable deficit after remobilisation, at 70",
                 "assumption: after 4 d disuse the young recovered in 7 d, the old did not "
                 "(Hvid 2014, Exp Gerontol 52:1)"),
      real_param("muscle.recovery_age_slope", 0.03, 0, 0.5, "1/yr",
                 "relative lengthening of that half-life per year of age above 70",
                 "assumption (Suetta 2009, 2013: older adults recover more slowly)"),
      real_param("muscle.unrecovered_share_70", 0.15, 0, 0.95, "",
                 "share of a disuse deficit never regained, at 70",
                 "assumption: ~8 % still lost after retraining (Hvid 2014); incomplete recovery "
                 "(Suetta 2009, Pisot 2016)"),
      real_param("muscle.unrecovered_age_slope", 0.01, 0, 0.1, "1/yr",
                 "rise of the unrecovered share per year of age above 70", "assumption"),
      real_param("muscle.training_max_alm_gain_kg", 0.55, 0, 5, "kg",
                 "appendicular lean mass gained with full-adherence resistance training",
                 "Peterson 2011, MSSE 43:249: lean body mass +1.1 kg (0.9-1.2); about half "
                 "appendicular (assumption)"),
      real_param("muscle.training_max_strength_gain", 0.28, 0, 2, "",
                 "relative leg-strength gain with full-adherence training",
                 "Peterson 2010, Ageing Res Rev: strength +24-33 %"),
      real_param("muscle.training_grip_share", 0.3, 0, 1, "",
                 "grip gain as a share of the leg-strength gain", "assumption"),
      real_param("muscle.training_tau_days", 60, 1, 730, "days",
                 "time constant of the training response",
                 "assumption: gains reached over ~20-week trials (Peterson 2011)"),
      real_param("muscle.detraining_halflife_days", 120, 1, 3650, "days",
                 "half-life of training gains after stopping", "assumption"),
      real_param("muscle.training_protein_boost", 0.27, 0, 2, "",
                 "extra relative lean gain when protein intake reaches training_protein_threshold",
                 "Morton 2018, BJSM 52:376: +0.30 kg fat-free mass on top of ~1.1 kg"),
      real_param("muscle.training_protein_threshold", 1.2, 0, 3, "g/kg/day",
                 "protein intake at which training gains get the protein boost",
                 "PROT-AGE (Bauer 2013): 1.0-1.2 g/kg/day for older adults"),
      real_param("muscle.training_age_slope", 0.01, 0, 0.1, "1/yr",
                 "relative fall of training gains per year of age above 70",
                 "assumption: smaller gains at older ages (Peterson 2011)"),
      real_param("muscle.neurogenic_halflife_days", 20, 1, 365, "days",
                 "half-life of a pending neurogenic loss (how fast it takes effect)",
                 "assumption (paretic-limb loss within months: English 2010)"),
      real_param("muscle.neurogenic_strength_ratio", 2, 0, 10, "",
                 "relative leg-strength loss per relative lean loss in neurogenic atrophy",
                 "assumption"),
  };
  return k;
}

namespace {

// Muscle's quiet days for kLanes people at once. A period's ageing is booked on its first day
// (book_lanes); what is left day by day is recovery after disuse and training, each day the daily
// step's operations in its order, rounding included, so the same bits (core/vector_clones.hpp: on
// any machine). 32 people give 3 x 32 independent chains, enough to keep the vector units busy
// while each day waits on the day before. Lane j moves through days[j] days (people quiet until an
// event mid-period have fewer): on later days it regains at a rate of 0, which leaves its values
// exactly as they are, so all lanes run the same operations and stay in vector registers.
constexpr int kLanes = 32;

// The shares kept over `days` days at loss rates `k` (1/yr), for kLanes people at once: the
// operations of Muscle::kept_over (physiology::daily_retention, then retention_over) in lanes, so
// the same bits. `k` is overwritten (daily retentions).
[[gnu::always_inline]] inline void kept_over_lanes(double (&k)[3][kLanes], std::int32_t days,
                                                   double (&kept)[3][kLanes]) {
  for (int c = 0; c < 3; ++c)
    for (int j = 0; j < kLanes; ++j) {
      k[c][j] = physiology::daily_retention(k[c][j]);
      kept[c][j] = 1.0;
    }
  for (std::int32_t n = days; n > 0; n >>= 1) {
    if (n & 1)
      for (int c = 0; c < 3; ++c)
        for (int j = 0; j < kLanes; ++j)
          kept[c][j] *= k[c][j];
    for (int c = 0; c < 3; ++c)
      for (int j = 0; j < kLanes; ++j)
        k[c][j] *= k[c][j];
  }
}

[[gnu::always_inline]] inline void keep_share(float (&value)[3][kLanes],
                                              const double (&kept)[3][kLanes]) {
  for (int c = 0; c < 3; ++c)
    for (int j = 0; j < kLanes; ++j)
      value[c][j] = static_cast<float>(value[c][j] * kept[c][j]);
}

// A period's ageing for kLanes people at once, in place, each value multiplied by its share
// kept and rounded to float once (Muscle::book_ageing in lanes).
SARCOSIM_VECTOR_CLONES
void book_lanes(float (&value)[3][kLanes], double (&k)[3][kLanes], std::int32_t days) {
  alignas(64) double kept[3][kLanes];
  kept_over_lanes(k, days, kept);
  keep_share(value, kept);
}

// The same for people with deficits still to regain, which age with the values: what is regained
// later would have aged too had it not been lost.
SARCOSIM_VECTOR_CLONES
void book_lanes(float (&value)[3][kLanes], float (&deficit)[3][kLanes], double (&k)[3][kLanes],
                std::int32_t days) {
  alignas(64) double kept[3][kLanes];
  kept_over_lanes(k, days, kept);
  keep_share(value, kept);
  keep_share(deficit, kept);
}

// One day of every lane regaining deficits at rates `r`, a share `share` of it kept
// (Muscle::regain): float arithmetic, 8 lanes a register under AVX2.
[[gnu::always_inline]] inline void recover_day(float (&value)[3][kLanes],
                                               float (&deficit)[3][kLanes],
                                               const float (&r)[kLanes],
                                               const float (&share)[kLanes]) {
  for (int c = 0; c < 3; ++c)
    for (int j = 0; j < kLanes; ++j) {
      const float regained = deficit[c][j] * r[j];
      value[c][j] += regained * share[j];
      deficit[c][j] -= regained;
    }
}

// While every lane has days left (most of a stretch: people mostly stay quiet to the period's
// end), a day needs no per-lane factors; after, lanes whose days are done get a rate of 0.
SARCOSIM_VECTOR_CLONES
void recover_lanes(float (&value)[3][kLanes], float (&deficit)[3][kLanes],
                   const float (&rate)[kLanes], const float (&share)[kLanes],
                   const std::int32_t (&days)[kLanes], std::int32_t most_days) {
  const std::int32_t all_days = fewest_days(days);
  for (std::int32_t d = 0; d < all_days; ++d)
    recover_day(value, deficit, rate, share);
  alignas(64) float r[kLanes];
  for (std::int32_t d = all_days; d < most_days; ++d) {
    lane_factors(r, rate, 0.0f, days, d);
    recover_day(value, deficit, r, share);
  }
}

// Training's quiet days for kLanes people at once (Muscle::one_day): each day recovery after
// disuse first (recover_day, for batches with a deficit), then gains approach the target at
// `rate` (0 past a lane's days: no change, and a lane's lean mass, leg strength and grip are then
// multiplied and divided by the same factor, which gives the float back), lean mass moves with the
// gain, leg strength and grip with the leg gain's ratio. The daily step's operations in its order
// (Muscle::regain, Muscle::apply_training), so the same bits.
struct TrainingLanesState {
  alignas(64) float value[3][kLanes];  // lean mass, grip, leg strength
  alignas(64) float gain_alm[kLanes], gain_leg[kLanes];
  alignas(64) double loss[3][kLanes];  // loss rates, for the period's ageing
  alignas(64) double target_alm[kLanes], target_leg[kLanes], rate[kLanes];
  alignas(64) std::int32_t days[kLanes];
  // Recovery after disuse, which comes first each day (Muscle::one_day): deficits of 0 regain
  // nothing, which leaves the values exactly as they are.
  alignas(64) float deficit[3][kLanes];
  alignas(64) float recovery_rate[kLanes], recovery_kept[kLanes];
  bool recovers = false;  // some lane has a deficit
};

[[gnu::always_inline]] inline void train_day(TrainingLanesState& s, const double (&r)[kLanes],
                                             double grip_share) {
  for (int j = 0; j < kLanes; ++j) {
    const double old_alm = s.gain_alm[j], old_leg = s.gain_leg[j];
    const double d_alm = (s.target_alm[j] - old_alm) * r[j];
    const double new_leg = old_leg + (s.target_leg[j] - old_leg) * r[j];
    s.gain_alm[j] = static_cast<float>(s.gain_alm[j] + d_alm);
    s.gain_leg[j] = static_cast<float>(new_leg);
    s.value[0][j] = static_cast<float>(s.value[0][j] + d_alm);
    s.value[2][j] = static_cast<float>(s.value[2][j] * (1 + new_leg) / (1 + old_leg));
    s.value[1][j] =
        static_cast<float>(s.value[1][j] * (1 + grip_share * new_leg) / (1 + grip_share * old_leg));
  }
}

SARCOSIM_VECTOR_CLONES
void train_lanes(TrainingLanesState& s, std::int32_t most_days, double grip_share) {
  alignas(64) double r[kLanes];
  alignas(64) float regain[kLanes];
  for (std::int32_t d = 0; d < most_days; ++d) {
    if (s.recovers) {
      lane_factors(regain, s.recovery_rate, 0.0f, s.days, d);
      recover_day(s.value, s.deficit, regain, s.recovery_kept);
    }
    lane_factors(r, s.rate, 0.0, s.days, d);
    train_day(s, r, grip_share);
  }
}

constexpr StreamId kMultiplierStream = stream("muscle.loss_multiplier");
constexpr int kTableDays = 4000;

class Muscle final : public Module {
 public:
  explicit Muscle(const ParamSet& p)
      : enabled_(p.boolean("muscle.enabled")),
        alm_rate_{p.real("muscle.alm_loss_rate_men"), p.real("muscle.alm_loss_rate_women")},
        grip_rate_{p.real("muscle.grip_loss_rate_men"), p.real("muscle.grip_loss_rate_women")},
        leg_rate_{p.real("muscle.leg_strength_loss_rate_men"),
                  p.real("muscle.leg_strength_loss_rate_women")},
        slope_(p.real("muscle.loss_rate_age_slope")),
        sd_(p.real("muscle.loss_rate_sd")),
        activity_mult_{p.real("muscle.activity_multiplier_inactive"),
                       p.real("muscle.activity_multiplier_low"),
                       p.real("muscle.activity_multiplier_moderate"),
                       p.real("muscle.activity_multiplier_active")},
        protein_gradient_(p.real("muscle.protein_gradient")),
        protein_ref_(p.real("muscle.protein_reference")),
        protein_ceiling_(p.real("muscle.protein_ceiling")),
        malnutrition_extra_{0.0, p.real("muscle.malnutrition_loss_rate")},
        leg_share_(p.real("muscle.leg_share_of_alm")),
        arm_factor_(p.real("muscle.arm_disuse_factor")),
        grip_factor_(p.real("muscle.grip_disuse_factor")),
        icu_mass_(p.real("muscle.icu_mass_factor")),
        icu_strength_(p.real("muscle.icu_strength_factor")),
        halflife_(p.real("muscle.recovery_halflife_days")),
        halflife_slope_(p.real("muscle.recovery_age_slope")),
        unrecovered_(p.real("muscle.unrecovered_share_70")),
        unrecovered_slope_(p.real("muscle.unrecovered_age_slope")),
        neuro_rate_(std::log(2.0) / p.real("muscle.neurogenic_halflife_days")),
        neuro_strength_(p.real("muscle.neurogenic_strength_ratio")),
        train_alm_(p.real("muscle.training_max_alm_gain_kg")),
        train_leg_(p.real("muscle.training_max_strength_gain")),
        train_grip_share_(p.real("muscle.training_grip_share")),
        train_rate_(1.0 / p.real("muscle.training_tau_days")),
        detrain_rate_(std::log(2.0) / p.real("muscle.detraining_halflife_days")),
        protein_boost_(p.real("muscle.training_protein_boost")),
        protein_threshold_(p.real("muscle.training_protein_threshold")),
        train_age_slope_(p.real("muscle.training_age_slope")) {
    // The share lost on each day of an episode, computed once.
    const double am = p.real("muscle.disuse_mass_amplitude"),
                 tm = p.real("muscle.disuse_mass_tau_days");
    const double as = p.real("muscle.disuse_strength_amplitude"),
                 ts = p.real("muscle.disuse_strength_tau_days");
    for (int s = 0; s < 2; ++s) {
      alm_by_age_[s] =
          AgeTable([&](double a) { return physiology::loss_rate_at(alm_rate_[s], slope_, a); });
      grip_by_age_[s] =
          AgeTable([&](double a) { return physiology::loss_rate_at(grip_rate_[s], slope_, a); });
      leg_by_age_[s] =
          AgeTable([&](double a) { return physiology::loss_rate_at(leg_rate_[s], slope_, a); });
    }
    recovery_rate_ = AgeTable([&](double a) {
      return std::log(2.0) / physiology::recovery_halflife(halflife_, halflife_slope_, a);
    });
    kept_share_ = AgeTable([&](double a) {
      return 1 - physiology::unrecovered_share(unrecovered_, unrecovered_slope_, a);
    });
    mass_step_.resize(kTableDays + 1);
    strength_step_.resize(kTableDays + 1);
    for (int n = 1; n <= kTableDays; ++n) {
      mass_step_[n] = physiology::disuse_increment(am, tm, n);
      strength_step_[n] = physiology::disuse_increment(as, ts, n);
    }
  }

  std::string_view name() const override { return "muscle"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    multiplier_ = pop.add<Ratio16>({"muscle.loss_multiplier",
                                    "",
                                    "this person's multiplier of the age-related loss rates",
                                    {}});
    leg_ = pop.add<float>(
        {state::kLegStrength, "", "knee-extensor strength relative to the start", {}, true, true},
        1.0f);
    alm_deficit_ = pop.add<float>(
        {"muscle.alm_deficit_kg", "kg", "lean mass lost to disuse and not yet regained", {}});
    grip_deficit_ = pop.add<float>(
        {"muscle.grip_deficit_kg", "kg", "grip strength lost to disuse and not yet regained", {}});
    leg_deficit_ = pop.add<float>(
        {"muscle.leg_deficit", "", "leg strength lost to disuse and not yet regained", {}});
    declare_training_gains(pop);
    pending_ = pop.add_sparse<float>(
        {state::kPendingNeurogenicLoss, "kg", "neurogenic lean loss still to come", {}, false});
    mean_alm_ = reg.add_series(
        {"mean_alm_kg", "kg", "mean appendicular lean mass of the living", SeriesKind::Mean});
    mean_almi_ = reg.add_series(
        {"mean_almi", "kg/m2", "mean appendicular lean mass / height^2", SeriesKind::Mean});
    mean_grip_ = reg.add_series(
        {"mean_grip_kg", "kg", "mean grip strength of the living", SeriesKind::Mean});
    mean_leg_ =
        reg.add_series({"mean_leg_strength", "",
                        "mean knee-extensor strength relative to the start", SeriesKind::Mean});
  }

  void connect(const Population& pop) override {
    activity_ = pop.get<std::uint8_t>(state::kActivity);
    protein_ = pop.get<state::ProteinGPerKg>(state::kProtein);
    malnourished_ = pop.get<std::uint8_t>(state::kMalnourished);
    catabolic_ = pop.lookup(state::kCatabolicRate);
    disuse_ = pop.get_sparse<std::uint8_t>(state::kDisuse);
    disuse_day_ = pop.get_sparse<std::uint16_t>(state::kDisuseDay);
    dose_ = pop.get_sparse<state::DisuseDose>(state::kDisuseDose);
    training_ = pop.sparse_lookup(state::kTrainingStimulus);
    disuse_mass_effect_ = pop.sparse_lookup(state::kDisuseMassMultiplier);
    recovery_effect_ = pop.sparse_lookup(state::kRecoveryMultiplier);
  }

  void init(const Block& b, const Rng& rng) override {
    rng.for_each_normal(
        kMultiplierStream, b.begin, b.end, kInitDay,
        [&](std::uint32_t i, double z) { multiplier_[i] = std::exp(sd_ * z - 0.5 * sd_ * sd_); });
  }

  // Busy: in a disuse episode. Recovery after disuse, a neurogenic loss still to come and training
  // need nothing from other modules: quiet days go through them day by day (detraining is booked
  // once a period).
  void mark_busy(std::span<const std::uint32_t> agents, const Period&,
                 BusyMarks& busy) const override {
    if (!enabled_) return;
    for (const std::uint32_t i : agents)
      if (disuse_[i] != state::kNoDisuse) busy.now(i);
  }

  // Quiet days repeat the daily arithmetic of recovery and training, rounding included, and the
  // period's detraining and ageing are booked on its first day in both paths, so that a person's
  // muscle is the same whether they step daily or quietly (core/module.hpp): only the rates are
  // computed once.
  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    if (!enabled_) return;
    const bool books = ctx.first_day == ctx.period.first_day;
    const std::int32_t period_days = ctx.period.end_day - ctx.period.first_day;
    constexpr LossRates kBooked{};  // a stretch after busy days: ageing booked on the first day
    // Mid-period (after busy days) there is no ageing to book: the lanes skip it.
    const std::int32_t booked_days = books ? period_days : 0;
    const double detraining_kept = kept_by_detraining(booked_days);
    Lanes<false> ageing(booked_days);
    Lanes<true> recovering_lanes(booked_days);
    TrainingLanes training_lanes(booked_days);
    for (const auto [i, days] : quiet) {
      const double age = age_years(ctx.period.first_day, core_.birth_day[i]);
      const bool trains = training(i);
      if (books && !trains && keeps_gains(i)) book_detraining(i, detraining_kept);  // before ageing
      if (trains && pending_[i] == 0 && disuse_[i] == state::kNoDisuse) {
        training_lanes.add(i, days, books ? loss_rates(i, age) : kBooked, training_target(i, age),
                           recovery(i, age), *this);
        if (training_lanes.full()) training_lanes.run(*this);
      } else if (trains || pending_[i] > 0) {  // few (disuse, neurogenic loss): the daily step
        if (books) book_ageing(i, age, period_days);
        for (std::int32_t d = 0; d < days; ++d)
          one_day(i, age);
      } else if (recovering(i)) {
        recovering_lanes.add(i, days, books ? loss_rates(i, age) : kBooked, recovery(i, age),
                             *this);
        if (recovering_lanes.full()) recovering_lanes.run(*this);
      } else if (books) {  // most people: nothing but the period's ageing
        ageing.add(i, days, loss_rates(i, age), {}, *this);
        if (ageing.full()) ageing.run(*this);
      }
    }
    ageing.run(*this);
    recovering_lanes.run(*this);
    training_lanes.run(*this);
  }

  void step(const Block&, StepContext& ctx) override {
    if (!enabled_) return;
    const bool books = ctx.day == ctx.period.first_day;
    const std::int32_t period_days = ctx.period.end_day - ctx.period.first_day;
    const double detraining_kept = kept_by_detraining(books ? period_days : 0);
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      const double age = age_years(ctx.period.first_day, core_.birth_day[i]);  // as quiet days
      if (books) {  // in the order of quiet days: detraining, then ageing
        if (!training(i) && keeps_gains(i)) book_detraining(i, detraining_kept);
        book_ageing(i, age, period_days);
      }
      one_day(i, age);
    }
  }

  void record(RecordContext& ctx) override {
    for (const auto [i, s, band] : ctx.living) {
      if (enabled_) clear_small_remainders(i);
      ctx.tally(mean_alm_, s, band, core_.alm_kg[i]);
      ctx.tally(mean_almi_, s, band, core_.alm_kg[i] / (core_.height_m[i] * core_.height_m[i]));
      ctx.tally(mean_grip_, s, band, core_.grip_kg[i]);
      ctx.tally(mean_leg_, s, band, leg_[i]);
    }
  }

 private:
  // Relative loss rates (1/yr) of lean mass, grip and leg strength today: age, the person's
  // multiplier, activity, protein, malnutrition and catabolic disease.
  struct LossRates {
    double alm, grip, leg;
  };
  LossRates loss_rates(std::uint32_t i, double age) const {
    const int s = core_.sex[i];
    const double m = multiplier_[i] * activity_mult_[activity_[i]] *
                     physiology::protein_loss_multiplier(protein_gradient_, protein_ref_,
                                                         protein_ceiling_, protein_[i]);
    const double extra = catabolic_[i] + malnutrition_extra_[malnourished_[i] != 0];  // a load
    return {m * alm_by_age_[s](age) + extra, m * grip_by_age_[s](age) + extra,
            m * leg_by_age_[s](age) + extra};
  }

  // The period's ageing, booked on its first day whichever way the person steps, at the rates of
  // that day: each value times its daily retention to the power of the period's days, rounded to
  // float once (book_lanes does the same for kLanes people at once). Muscle's ageing therefore
  // moves in monthly steps; disuse, recovery, neurogenic loss and training, which change within
  // days, move daily. Deficits still to regain age alongside (0 stays 0).
  void book_ageing(std::uint32_t i, double age, std::int32_t days) {
    const LossRates r = loss_rates(i, age);
    const double alm = kept_over(r.alm, days), grip = kept_over(r.grip, days),
                 leg = kept_over(r.leg, days);
    core_.alm_kg[i] = static_cast<float>(core_.alm_kg[i] * alm);
    core_.grip_kg[i] = static_cast<float>(core_.grip_kg[i] * grip);
    leg_[i] = static_cast<float>(leg_[i] * leg);
    alm_deficit_[i] = static_cast<float>(alm_deficit_[i] * alm);
    grip_deficit_[i] = static_cast<float>(grip_deficit_[i] * grip);
    leg_deficit_[i] = static_cast<float>(leg_deficit_[i] * leg);
  }
  static double kept_over(double rate, std::int32_t days) {
    return physiology::retention_over(physiology::daily_retention(rate), days);
  }

  // One day of everything muscle does besides ageing, for daily steps and for quiet days that
  // cannot go through the lanes (a neurogenic loss to come, training).
  void one_day(std::uint32_t i, double age) {
    if (const auto kind = static_cast<state::Disuse>(disuse_[i]); kind != state::kNoDisuse)
      disuse_one_day(i, kind);
    else if (recovering(i))
      recover_one_day(i, age);
    if (pending_[i] > 0) neurogenic_one_day(i);
    if (training(i)) train_one_day(i, age);
  }

  bool recovering(std::uint32_t i) const {
    return (alm_deficit_[i] > 0) | (grip_deficit_[i] > 0) | (leg_deficit_[i] > 0);
  }
  // In a programme that trains: gains move day by day towards its target.
  bool training(std::uint32_t i) const { return trains_ && training_[i] > 0; }
  // Gains left from training; out of a programme that trains, they fade, booked once a period
  // (book_detraining).
  bool keeps_gains(std::uint32_t i) const {
    return trains_ && (gain_alm_[i] != 0 || gain_leg_[i] != 0);
  }

  // Training gains are kept per person only when some programme trains: the programmes attach
  // before muscle (core/schedule.cpp) and have filled the training effect's table by now. When
  // it is 0 for every mask, the gains stay 0 for everyone, and are kept as tables of zeros by the
  // same mask (8 bytes a person less; the result file has the same datasets either way).
  void declare_training_gains(Population& pop) {
    const float* stimulus = pop.lookup_table(state::kTrainingStimulus);
    trains_ = std::any_of(stimulus, stimulus + (1u << state::kProgrammeBits),
                          [](float s) { return s > 0; });
    const ColumnInfo mass{"muscle.training_gain_kg", "kg", "lean mass gained by training", {}},
        leg{"muscle.training_gain_leg", "", "relative leg strength gained by training", {}};
    if (trains_) {
      gain_alm_ = pop.add<float>(mass);
      gain_leg_ = pop.add<float>(leg);
    } else {
      pop.add_lookup(mass, state::kEnrolled, state::kProgrammeBits, 0.0f);
      pop.add_lookup(leg, state::kEnrolled, state::kProgrammeBits, 0.0f);
    }
  }

  void disuse_one_day(std::uint32_t i, state::Disuse kind) {
    const int n = std::min<int>(disuse_day_[i], kTableDays);
    if (n < 1) return;
    const double dose = dose_[i];
    const bool icu = kind == state::kIntensiveCare, one_leg = kind == state::kLegImmobilised;
    const double mass = mass_step_[n] * dose * (icu ? icu_mass_ : 1.0) * disuse_mass_effect_[i];
    const double strength = strength_step_[n] * dose * (icu ? icu_strength_ : 1.0);
    // Which part of the body is unloaded: both legs and a little of the arms, or one leg.
    const double mass_share =
        one_leg ? leg_share_ / 2 : leg_share_ + (1 - leg_share_) * arm_factor_;
    const float d_alm = static_cast<float>(core_.alm_kg[i] * mass * mass_share);
    const float d_leg = static_cast<float>(leg_[i] * strength * (one_leg ? 0.5 : 1.0));
    const float d_grip =
        static_cast<float>(one_leg ? 0.0 : core_.grip_kg[i] * strength * grip_factor_);
    core_.alm_kg[i] -= d_alm;
    alm_deficit_[i] += d_alm;
    leg_[i] -= d_leg;
    leg_deficit_[i] += d_leg;
    core_.grip_kg[i] -= d_grip;
    grip_deficit_[i] += d_grip;
  }

  // Recovery after disuse: the share of a deficit regained each day, and the share of it kept,
  // rounded to float as the deficits are, so that a day's regain is float arithmetic (in the
  // lanes, 8 a register under AVX2, where double factors took conversions both ways).
  struct Recovery {
    float rate, kept;
  };
  Recovery recovery(std::uint32_t i, double age) const {
    return {static_cast<float>(std::min(1.0, recovery_effect_[i] * recovery_rate_(age))),
            static_cast<float>(kept_share_(age))};
  }
  static void regain(float& value, float& deficit, const Recovery& r) {
    const float d = deficit * r.rate;
    value += d * r.kept;
    deficit -= d;
  }

  void recover_one_day(std::uint32_t i, double age) {
    const Recovery r = recovery(i, age);
    regain(core_.alm_kg[i], alm_deficit_[i], r);
    regain(core_.grip_kg[i], grip_deficit_[i], r);
    regain(leg_[i], leg_deficit_[i], r);
  }

  // Who is in a batch of lanes, and the most days any of them moves through.
  struct LaneBatch {
    int n = 0;
    std::int32_t most_days = 0;
    std::uint32_t agent[kLanes];  // the first n
    bool full() const { return n == kLanes; }
    void clear() { n = most_days = 0; }
    int add(std::uint32_t i, std::int32_t days) {
      agent[n] = i;
      most_days = std::max(most_days, days);
      return n++;
    }
  };

  // The period's ageing, then recovery (kRecover) over a whole quiet stretch, for kLanes people at
  // once: the people's chains of operations are independent, and run side by side in vector
  // registers (book_lanes, recover_lanes). A stretch that does not begin on the period's first day
  // has had its ageing booked that day: such stretches come in calls of their own (mid-period),
  // which skip the booking (loss rates of 0 would keep a share of exactly 1, the values as they
  // are).
  template <bool kRecover>
  class Lanes {
   public:
    static constexpr int kWidth = kLanes;
    // `booked_days`: the period's days on its first day, 0 mid-period (no ageing to book).
    explicit Lanes(std::int32_t booked_days) : booked_days_(booked_days) {}
    bool full() const { return batch_.full(); }
    // `rates` become the shares kept over the period in run(), for all lanes at once (unused
    // mid-period, where there is nothing to book).
    void add(std::uint32_t i, std::int32_t days, const LossRates& rates, const Recovery& r,
             const Muscle& m) {
      const int k = batch_.add(i, days);
      days_[k] = days;
      value_[0][k] = m.core_.alm_kg[i];
      value_[1][k] = m.core_.grip_kg[i];
      value_[2][k] = m.leg_[i];
      loss_[0][k] = rates.alm;
      loss_[1][k] = rates.grip;
      loss_[2][k] = rates.leg;
      if constexpr (kRecover) {
        deficit_[0][k] = m.alm_deficit_[i];
        deficit_[1][k] = m.grip_deficit_[i];
        deficit_[2][k] = m.leg_deficit_[i];
        rate_[k] = r.rate;
        share_[k] = r.kept;
      }
    }
    void run(Muscle& m) {
      if (batch_.n == 0) return;
      for (int j = batch_.n; j < kWidth; ++j) {  // lanes past the batch: zeros, which stay zeros
        days_[j] = 0;
        for (int c = 0; c < 3; ++c)
          value_[c][j] = 0, loss_[c][j] = 0;
        if constexpr (kRecover) {
          for (int c = 0; c < 3; ++c)
            deficit_[c][j] = 0;
          rate_[j] = share_[j] = 0;
        }
      }
      if (booked_days_ > 0) {
        if constexpr (kRecover)
          book_lanes(value_, deficit_, loss_, booked_days_);
        else
          book_lanes(value_, loss_, booked_days_);
      }
      if constexpr (kRecover)
        recover_lanes(value_, deficit_, rate_, share_, days_, batch_.most_days);
      for (int j = 0; j < batch_.n; ++j) {
        const std::uint32_t i = batch_.agent[j];
        m.core_.alm_kg[i] = value_[0][j];
        m.core_.grip_kg[i] = value_[1][j];
        m.leg_[i] = value_[2][j];
        if constexpr (kRecover) {
          m.alm_deficit_[i] = deficit_[0][j];
          m.grip_deficit_[i] = deficit_[1][j];
          m.leg_deficit_[i] = deficit_[2][j];
        }
      }
      batch_.clear();
    }

   private:
    LaneBatch batch_;
    std::int32_t booked_days_;
    // Filled by add() and run(), not zeroed up front: 2 kB a call otherwise.
    alignas(64) std::int32_t days_[kWidth];
    alignas(64) float value_[3][kWidth];
    alignas(64) float deficit_[3][kWidth];
    alignas(64) double loss_[3][kWidth];  // loss rates as added (book_lanes overwrites them)
    alignas(64) float rate_[kWidth];
    alignas(64) float share_[kWidth];
  };

  void neurogenic_one_day(std::uint32_t i) {
    const float pending = pending_[i];
    const float d = std::min(pending, std::max(0.001f, static_cast<float>(pending * neuro_rate_)));
    const double share = d / std::max(1.0f, core_.alm_kg[i]);
    core_.alm_kg[i] -= d;
    pending_.set(i, pending - d);
    leg_[i] = static_cast<float>(leg_[i] * std::max(0.0, 1 - neuro_strength_ * share));
    core_.grip_kg[i] = static_cast<float>(core_.grip_kg[i] * (1 - share));
  }

  // Resistance training: gains approach a target set by the stimulus (adherence), age and protein;
  // they fade after training stops (book_detraining).
  struct Training {
    double alm, leg;  // approached at train_rate_ a day
  };
  Training training_target(std::uint32_t i, double age) const {
    const double s = training_[i];  // > 0: detraining is booked apart (book_detraining)
    const double age_factor = std::max(0.4, 1 - train_age_slope_ * std::max(0.0, age - 70));
    const double boost = protein_[i] >= protein_threshold_ ? 1 + protein_boost_ : 1.0;
    return {train_alm_ * s * age_factor * boost, train_leg_ * s * age_factor};
  }

  // The share of training gains kept over `days` days of detraining: (1 - r)^days, the days of
  // fading towards 0 at the daily rate r booked at once (1 for no days).
  double kept_by_detraining(std::int32_t days) const {
    return physiology::retention_over(1 - detrain_rate_, days);
  }
  // A period's detraining, booked on its first day whichever way the person steps (as ageing is,
  // and before it): the gains times `kept`, lean mass, leg strength and grip moved with them as a
  // day of training moves them. Someone who stops training mid-period keeps their gains to the
  // period's end; their fading starts with the next period.
  void book_detraining(std::uint32_t i, double kept) {
    const double old_alm = gain_alm_[i], old_leg = gain_leg_[i];
    apply_training(i, old_alm * kept - old_alm, old_leg, old_leg * kept);
  }

  void train_one_day(std::uint32_t i, double age) {
    const Training t = training_target(i, age);
    const double old_alm = gain_alm_[i], old_leg = gain_leg_[i];
    apply_training(i, (t.alm - old_alm) * train_rate_, old_leg,
                   old_leg + (t.leg - old_leg) * train_rate_);
  }

  // Gains change by d_alm (kg) and from old_leg to new_leg (relative).
  void apply_training(std::uint32_t i, double d_alm, double old_leg, double new_leg) {
    gain_alm_[i] = static_cast<float>(gain_alm_[i] + d_alm);
    gain_leg_[i] = static_cast<float>(new_leg);
    core_.alm_kg[i] = static_cast<float>(core_.alm_kg[i] + d_alm);
    leg_[i] = static_cast<float>(leg_[i] * (1 + new_leg) / (1 + old_leg));
    core_.grip_kg[i] = static_cast<float>(core_.grip_kg[i] * (1 + train_grip_share_ * new_leg) /
                                          (1 + train_grip_share_ * old_leg));
  }

  // People who train, with no disuse or neurogenic loss going on: the period's ageing (as Lanes),
  // then recovery after disuse and training through their quiet days in lanes (train_lanes). A
  // trainee regaining a deficit went day by day through one_day before, two divisions a day in a
  // chain: in an intervention with training, most of its run.
  class TrainingLanes {
   public:
    explicit TrainingLanes(std::int32_t booked_days) : booked_days_(booked_days) {}
    bool full() const { return batch_.full(); }
    void add(std::uint32_t i, std::int32_t days, const LossRates& rates, const Training& t,
             const Recovery& r, const Muscle& m) {
      const int k = batch_.add(i, days);
      s_.deficit[0][k] = m.alm_deficit_[i];
      s_.deficit[1][k] = m.grip_deficit_[i];
      s_.deficit[2][k] = m.leg_deficit_[i];
      s_.recovery_rate[k] = r.rate;
      s_.recovery_kept[k] = r.kept;
      s_.recovers = s_.recovers || m.recovering(i);
      s_.days[k] = days;
      s_.value[0][k] = m.core_.alm_kg[i];
      s_.value[1][k] = m.core_.grip_kg[i];
      s_.value[2][k] = m.leg_[i];
      s_.gain_alm[k] = m.gain_alm_[i];
      s_.gain_leg[k] = m.gain_leg_[i];
      s_.loss[0][k] = rates.alm;
      s_.loss[1][k] = rates.grip;
      s_.loss[2][k] = rates.leg;
      s_.target_alm[k] = t.alm;
      s_.target_leg[k] = t.leg;
      s_.rate[k] = m.train_rate_;
    }
    void run(Muscle& m) {
      if (batch_.n == 0) return;
      for (int j = batch_.n; j < kLanes; ++j) {  // lanes past the batch: zeros, which stay zeros
        s_.days[j] = 0;
        for (int c = 0; c < 3; ++c)
          s_.value[c][j] = 0, s_.loss[c][j] = 0;
        s_.gain_alm[j] = s_.gain_leg[j] = 0;
        s_.target_alm[j] = s_.target_leg[j] = s_.rate[j] = 0;
        for (int c = 0; c < 3; ++c)
          s_.deficit[c][j] = 0;
        s_.recovery_rate[j] = s_.recovery_kept[j] = 0;
      }
      if (booked_days_ > 0) book_lanes(s_.value, s_.deficit, s_.loss, booked_days_);
      train_lanes(s_, batch_.most_days, m.train_grip_share_);
      for (int j = 0; j < batch_.n; ++j) {
        const std::uint32_t i = batch_.agent[j];
        m.core_.alm_kg[i] = s_.value[0][j];
        m.core_.grip_kg[i] = s_.value[1][j];
        m.leg_[i] = s_.value[2][j];
        m.gain_alm_[i] = s_.gain_alm[j];
        m.gain_leg_[i] = s_.gain_leg[j];
        if (s_.recovers) {
          m.alm_deficit_[i] = s_.deficit[0][j];
          m.grip_deficit_[i] = s_.deficit[1][j];
          m.leg_deficit_[i] = s_.deficit[2][j];
        }
      }
      batch_.clear();
      s_.recovers = false;
    }

   private:
    LaneBatch batch_;
    std::int32_t booked_days_;
    TrainingLanesState s_;  // filled by add() and run(), not zeroed up front
  };

  // Deficits and training gains too small to measure are done with (1/10,000 of the value, or
  // 0.1 g and 0.001 % of strength once training has stopped). Cleared at period ends only, the
  // same whether a person steps daily or quietly.
  void clear_small_remainders(std::uint32_t i) {
    auto clear = [](float value, float& deficit) {  // many have a deficit left
      deficit = select(deficit < 1e-4f * value, 0.0f, deficit);
    };
    clear(core_.alm_kg[i], alm_deficit_[i]);
    clear(core_.grip_kg[i], grip_deficit_[i]);
    clear(leg_[i], leg_deficit_[i]);
    if (trains_ && training_[i] == 0 && std::abs(gain_alm_[i]) < 1e-4f &&
        std::abs(gain_leg_[i]) < 1e-5f)
      gain_alm_[i] = gain_leg_[i] = 0;
  }

  bool enabled_, trains_ = false;
  double alm_rate_[2], grip_rate_[2], leg_rate_[2], slope_, sd_, activity_mult_[4],
      protein_gradient_, protein_ref_, protein_ceiling_, malnutrition_extra_[2], leg_share_,
      arm_factor_, grip_factor_, icu_mass_, icu_strength_, halflife_, halflife_slope_, unrecovered_,
      unrecovered_slope_, neuro_rate_, neuro_strength_, train_alm_, train_leg_, train_grip_share_,
      train_rate_, detrain_rate_, protein_boost_, protein_threshold_, train_age_slope_;
  std::vector<double> mass_step_, strength_step_;
  AgeTable alm_by_age_[2], grip_by_age_[2], leg_by_age_[2], recovery_rate_, kept_share_;
  CoreColumns core_{};
  Ratio16* multiplier_ = nullptr;
  float *leg_ = nullptr, *alm_deficit_ = nullptr, *grip_deficit_ = nullptr, *leg_deficit_ = nullptr,
        *gain_alm_ = nullptr, *gain_leg_ = nullptr;
  state::ProteinGPerKg* protein_ = nullptr;
  LookupColumn catabolic_;
  SparseLookupColumn training_, disuse_mass_effect_, recovery_effect_;
  std::uint8_t *activity_ = nullptr, *malnourished_ = nullptr;
  // Short-term states, 0 for most people (core/sparse_column.hpp).
  Sparse<float> pending_;
  Sparse<std::uint8_t> disuse_;
  Sparse<std::uint16_t> disuse_day_;
  Sparse<state::DisuseDose> dose_;
  SeriesId mean_alm_ = -1, mean_almi_ = -1, mean_grip_ = -1, mean_leg_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_muscle(const ParamSet& params) {
  return std::make_unique<Muscle>(params);
}

}  // namespace sarcosim
