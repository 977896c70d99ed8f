#include "sarcosim/modules/muscle.hpp"

#include <cmath>

#include "sarcosim/physiology/muscle_ageing.hpp"

namespace sarcosim {

std::span<const ParamSpec> muscle_params() {
  static constexpr ParamSpec k[] = {
      bool_param("muscle.enabled", true, "age-related loss of lean mass and strength",
                 "model switch"),
      real_param("muscle.alm_loss_rate_men", 0.009, 0, 0.1, "1/yr",
                 "relative loss of appendicular lean mass per year at 75, men",
                 "Mitchell 2012, Front Physiol 3:260: 0.80-0.98 %/yr near 75 (longitudinal)"),
      real_param("muscle.alm_loss_rate_women", 0.0067, 0, 0.1, "1/yr",
                 "relative loss of appendicular lean mass per year at 75, women",
                 "Mitchell 2012: 0.64-0.70 %/yr near 75 (longitudinal)"),
      real_param("muscle.grip_loss_rate_men", 0.017, 0, 0.2, "1/yr",
                 "relative loss of grip strength per year at 75, men",
                 "Frederiksen 2006 Ann Epidemiol: -0.59 kg/yr (50-85) / Dodds 2014 median 35 kg "
                 "at 75"),
      real_param("muscle.grip_loss_rate_women", 0.015, 0, 0.2, "1/yr",
                 "relative loss of grip strength per year at 75, women",
                 "Frederiksen 2006: -0.31 kg/yr / Dodds 2014 median 21 kg at 75"),
      real_param("muscle.loss_rate_age_slope", 0.03, 0, 0.2, "1/yr",
                 "relative change of both loss rates per year of age away from 75",
                 "assumption: losses accelerate with age (Mitchell 2012; Goodpaster 2006)"),
      real_param("muscle.loss_rate_sd", 0.3, 0, 2, "",
                 "SD of the log of each person's loss-rate multiplier (mean multiplier 1)",
                 "assumption: wide between-person variation in longitudinal loss (Mitchell 2012)"),
  };
  return k;
}

namespace {

constexpr StreamId kMultiplierStream = stream("muscle.loss_multiplier");

class Muscle final : public Module {
 public:
  explicit Muscle(const ParamSet& p)
      : alm_rate_{p.real("muscle.alm_loss_rate_men"), p.real("muscle.alm_loss_rate_women")},
        grip_rate_{p.real("muscle.grip_loss_rate_men"), p.real("muscle.grip_loss_rate_women")},
        slope_(p.real("muscle.loss_rate_age_slope")),
        sd_(p.real("muscle.loss_rate_sd")) {}

  std::string_view name() const override { return "muscle"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    multiplier_ = pop.add<float>({"muscle.loss_multiplier",
                                  "",
                                  "this person's multiplier of the age-related loss rates",
                                  {}});
    mean_alm_ = reg.add_series(
        {"mean_alm_kg", "kg", "mean appendicular lean mass of the living", SeriesKind::Mean});
    mean_grip_ = reg.add_series(
        {"mean_grip_kg", "kg", "mean grip strength of the living", SeriesKind::Mean});
  }

  void init(const Block& b, const Rng& rng) override {
    for (std::uint32_t i = b.begin; i < b.end; ++i) {
      const double z = rng.normal2(kMultiplierStream, i, kInitDay)[0];
      multiplier_[i] = static_cast<float>(std::exp(sd_ * z - 0.5 * sd_ * sd_));
    }
  }

  void step(const Block& b, StepContext& ctx) override {
    const std::uint8_t* __restrict alive = core_.alive;
    const std::uint8_t* __restrict sex = core_.sex;
    const std::int32_t* __restrict birth = core_.birth_day;
    const float* __restrict mult = multiplier_;
    float* __restrict alm = core_.alm_kg;
    float* __restrict grip = core_.grip_kg;
    for (std::uint32_t i = b.begin; i < b.end; ++i) {
      if (!alive[i]) continue;
      const double age = age_years(ctx.day, birth[i]);
      const double m = mult[i];
      const int s = sex[i];
      alm[i] =
          static_cast<float>(alm[i] * physiology::daily_retention(
                                          m * physiology::loss_rate_at(alm_rate_[s], slope_, age)));
      grip[i] = static_cast<float>(
          grip[i] *
          physiology::daily_retention(m * physiology::loss_rate_at(grip_rate_[s], slope_, age)));
    }
  }

  void record(const Block& b, RecordContext& ctx) override {
    const std::int32_t last = ctx.period.end_day - 1;
    for (std::uint32_t i = b.begin; i < b.end; ++i) {
      if (!core_.alive[i]) continue;
      const int band = AgeBands::of(age_years(last, core_.birth_day[i]));
      ctx.tally(mean_alm_, core_.sex[i], band, core_.alm_kg[i]);
      ctx.tally(mean_grip_, core_.sex[i], band, core_.grip_kg[i]);
    }
  }

 private:
  double alm_rate_[2];
  double grip_rate_[2];
  double slope_;
  double sd_;
  CoreColumns core_{};
  float* multiplier_ = nullptr;
  SeriesId mean_alm_ = -1, mean_grip_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_muscle(const ParamSet& params) {
  if (!params.boolean("muscle.enabled")) return nullptr;
  return std::make_unique<Muscle>(params);
}

}  // namespace sarcosim
