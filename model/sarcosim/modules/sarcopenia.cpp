#include "sarcosim/modules/sarcopenia.hpp"

#include <algorithm>

#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/physiology/sarcopenia_definitions.hpp"
#include "sarcosim/population/synthesis.hpp"

namespace sarcosim {

std::span<const ParamSpec> sarcopenia_params() {
  static constexpr ParamSpec k[] = {
      choice_param("sarcopenia.definition", "EWGSOP2", "EWGSOP2|FNIH|AWGS2019",
                   "definition used for sarcopenia status (all three are recorded)",
                   "Cruz-Jentoft 2019; Studenski 2014; Chen 2020"),
      choice_param("sarcopenia.ewgsop2_mass", "almi", "almi|alm",
                   "EWGSOP2 low mass by ALM/height^2 (<7.0 / <5.5) or by ALM (<20 / <15 kg)",
                   "Cruz-Jentoft 2019"),
      real_param("sarcopenia.gait_men_75", 1.26, 0.2, 2.5, "m/s",
                 "mean usual gait speed of men at 75",
                 "Bohannon 2011, Physiotherapy 97:182: men 70-79 ~1.26 m/s (recalled)"),
      real_param("sarcopenia.gait_women_75", 1.13, 0.2, 2.5, "m/s",
                 "mean usual gait speed of women at 75",
                 "Bohannon 2011: women 70-79 ~1.13 m/s (recalled; 80-99: 0.94 checked)"),
      real_param("sarcopenia.gait_age_slope", -0.017, -0.1, 0.05, "m/s/yr",
                 "change of mean gait speed per year of age",
                 "derived from Bohannon 2011: 1.34 (60-69) to 0.97 (80-99) m/s in men"),
      real_param("sarcopenia.gait_per_grip_sd", 0.08, 0, 0.5, "m/s",
                 "gait speed per SD of grip strength above or below the age-sex norm",
                 "derived: grip explains 1-16 % of gait variance in FNIH cohorts (r ~0.3 x SD "
                 "0.28 m/s, Kasovic 2021)"),
      real_param("sarcopenia.gait_residual_sd", 0.2, 0, 1, "m/s",
                 "SD of gait speed not explained by strength",
                 "derived: total SD 0.28 m/s (Kasovic 2021, Clin Interv Aging 16:225)"),
  };
  return k;
}

namespace {

// Kept to 2^-12 m/s in [-8, 8) m/s (core/fixed16.hpp): its SD is at most 1 m/s (the parameter's
// range).
using GaitResidual = Fixed16<-8, 12>;
// Gait speed to 2^-12 m/s in [0, 16) m/s: it is at least 0.1, and its parts (speed at 75, slopes
// by age and grip, the residual) are each held to a few m/s by their parameters' ranges.
using GaitSpeed = Fixed16<0, 12>;

using physiology::Definition;
constexpr StreamId kGaitStream = stream("sarcopenia.gait_residual");

class Sarcopenia final : public Module {
 public:
  explicit Sarcopenia(const ParamSet& p)
      : absolute_alm_(p.text("sarcopenia.ewgsop2_mass") == "alm"),
        gait75_{p.real("sarcopenia.gait_men_75"), p.real("sarcopenia.gait_women_75")},
        gait_slope_(p.real("sarcopenia.gait_age_slope")),
        gait_per_sd_(p.real("sarcopenia.gait_per_grip_sd")),
        residual_sd_(p.real("sarcopenia.gait_residual_sd")) {
    const std::string& d = p.text("sarcopenia.definition");
    definition_ = d == "FNIH"       ? Definition::kFnih
                  : d == "AWGS2019" ? Definition::kAwgs2019
                                    : Definition::kEwgsop2;
  }

  std::string_view name() const override { return "sarcopenia"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    status_ =
        pop.add<std::uint8_t>({state::kSarcopenia,
                               "",
                               "0 none, 1 probable, 2 confirmed, 3 severe (scenario's definition)",
                               {},
                               true,
                               true});
    gait_ = pop.add<GaitSpeed>({state::kGaitSpeed, "m/s", "usual gait speed", {}, true, true});
    residual_ = pop.add<GaitResidual>(
        {"sarcopenia.gait_residual", "m/s", "gait speed not explained by strength", {}});
    probable_ = reg.add_series({"probable_sarcopenia", "people",
                                "low grip strength (scenario's definition)", SeriesKind::Level});
    confirmed_ = reg.add_series({"sarcopenia", "people",
                                 "sarcopenia, confirmed or severe (scenario's definition)",
                                 SeriesKind::Level});
    severe_ = reg.add_series({"severe_sarcopenia", "people",
                              "severe sarcopenia (scenario's definition)", SeriesKind::Level});
    const char* names[] = {"sarcopenia_ewgsop2", "sarcopenia_fnih", "sarcopenia_awgs2019"};
    const char* labels[] = {"EWGSOP2 (Cruz-Jentoft 2019)", "FNIH (Studenski 2014)",
                            "AWGS 2019 (Chen 2020)"};
    for (int d = 0; d < 3; ++d)
      by_definition_[d] = reg.add_series(
          {names[d], "people", std::string("sarcopenia by ") + labels[d], SeriesKind::Level});
    gait_series_ =
        reg.add_series({"mean_gait_speed", "m/s", "mean usual gait speed", SeriesKind::Mean});
  }

  void init(const Block& b, const Rng& rng) override {
    rng.for_each_normal(kGaitStream, b.begin, b.end, kInitDay, [&](std::uint32_t i, double z) {
      residual_[i] = static_cast<float>(residual_sd_ * z);
    });
    for (std::uint32_t i = b.begin; i < b.end; ++i)
      status_[i] = physiology::sarcopenia_status(definition_, update_gait(i, 0), absolute_alm_);
  }

  void mark_busy(std::span<const std::uint32_t>, const Period&, BusyMarks&) const override {}
  void step(const Block&, StepContext&) override {}

  void record(RecordContext& ctx) override {
    const std::int32_t last = ctx.period.end_day - 1;
    for (const auto [i, s, band] : ctx.living) {
      const physiology::Body body = update_gait(i, last);
      std::uint8_t by_definition[3];  // the scenario's definition is one of the three
      for (int d = 0; d < 3; ++d) {
        by_definition[d] =
            physiology::sarcopenia_status(static_cast<Definition>(d), body, absolute_alm_);
        if (by_definition[d] >= 2) ctx.tally(by_definition_[d], s, band);
      }
      const std::uint8_t status = status_[i] = by_definition[static_cast<int>(definition_)];
      ctx.tally(gait_series_, s, band, body.gait_m_s);
      if (status >= 1) ctx.tally(probable_, s, band);
      if (status >= 2) ctx.tally(confirmed_, s, band);
      if (status == 3) ctx.tally(severe_, s, band);
    }
  }

 private:
  physiology::Body body_of(std::uint32_t i) const {
    return {core_.sex[i],      core_.grip_kg[i],   core_.alm_kg[i],
            core_.height_m[i], core_.weight_kg[i], gait_[i]};
  }

  // Gait speed as of `day`; returns the body that status is judged on (the columns' values, read
  // once).
  physiology::Body update_gait(std::uint32_t i, std::int32_t day) {
    const double age = age_years(day, core_.birth_day[i]);
    const int s = core_.sex[i];
    const GripNorm norm = grip_norms_(day, core_.birth_day[i], core_.sex[i]);
    const double z = std::clamp((core_.grip_kg[i] - norm.median) / norm.sd, -4.0, 1.0);
    gait_[i] =
        std::max(0.1, gait75_[s] + gait_slope_ * (age - 75) + gait_per_sd_ * z + residual_[i]);
    return body_of(i);
  }

  Definition definition_;
  bool absolute_alm_;
  double gait75_[2], gait_slope_, gait_per_sd_, residual_sd_;
  CoreColumns core_{};
  GripNorms grip_norms_;
  std::uint8_t* status_ = nullptr;
  GaitSpeed* gait_ = nullptr;
  GaitResidual* residual_ = nullptr;
  SeriesId probable_ = -1, confirmed_ = -1, severe_ = -1, by_definition_[3] = {}, gait_series_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_sarcopenia(const ParamSet& params) {
  return std::make_unique<Sarcopenia>(params);
}

}  // namespace sarcosim
