#include "sarcosim/modules/nutrition.hpp"

#include <algorithm>

#include "sarcosim/core/band_counts.hpp"
#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/modules/disease.hpp"

namespace sarcosim {

std::span<const ParamSpec> nutrition_params() {
  static constexpr ParamSpec k[] = {
      real_param("nutrition.protein_mean", 0.945, 0.2, 3, "g/kg/day", "mean usual protein intake",
                 "Houston 2008, AJCN 87:150 (Health ABC): 0.94 +/- 0.36 men, 0.95 +/- 0.36 women"),
      real_param("nutrition.protein_sd", 0.36, 0, 2, "g/kg/day", "SD of usual protein intake",
                 "Houston 2008"),
      real_param("nutrition.hospital_intake_factor", 0.65, 0, 1.5, "",
                 "share of usual protein eaten while in hospital",
                 "Weijzen 2020 JPEN: 0.65 g/kg/day eaten by inpatients at risk (usual ~1.0)"),
      real_param("nutrition.cachexia_intake_factor", 0.75, 0, 1.5, "",
                 "share of usual protein eaten with cancer cachexia",
                 "assumption (anorexia of cachexia; Fearon 2011)"),
      real_param("nutrition.malnourished_intake_factor", 0.7, 0, 1.5, "",
                 "share of usual protein eaten while malnourished", "assumption"),
      real_param(
          "nutrition.malnutrition_onset_rate", 0.03, 0, 5, "1/yr",
          "rate of becoming malnourished in the community",
          "calibrated so that ~3% of the community is malnourished (Cereda 2016, Clin Nutr)"),
      real_param("nutrition.malnutrition_onset_rate_hospital", 15, 0, 365, "1/yr",
                 "rate of becoming malnourished while in hospital",
                 "calibrated so that ~20% of inpatients are malnourished (Cereda 2016: 22%)"),
      real_param("nutrition.malnutrition_recovery_rate", 2, 0, 365, "1/yr",
                 "rate of recovering from malnutrition outside hospital",
                 "assumption (half-year mean duration)"),
  };
  return k;
}

namespace {

constexpr StreamId kUsualStream = stream("nutrition.usual_protein");
constexpr StreamId kOnsetStream = stream("nutrition.malnutrition_onset");
constexpr int kChangeSlot = 0;  // the onset or recovery hazard, kept from marks for quiet days
constexpr StreamId kRecoveryStream = stream("nutrition.malnutrition_recovery");

class Nutrition final : public Module {
 public:
  explicit Nutrition(const ParamSet& p)
      : mean_(p.real("nutrition.protein_mean")),
        sd_(p.real("nutrition.protein_sd")),
        hospital_factor_{1.0, p.real("nutrition.hospital_intake_factor")},
        cachexia_factor_{1.0, p.real("nutrition.cachexia_intake_factor")},
        malnourished_factor_{1.0, p.real("nutrition.malnourished_intake_factor")},
        rate_{{p.real("nutrition.malnutrition_onset_rate") * kPerYearToPerDay,
               p.real("nutrition.malnutrition_onset_rate_hospital") * kPerYearToPerDay},
              {p.real("nutrition.malnutrition_recovery_rate") * kPerYearToPerDay, 0.0}} {}

  std::string_view name() const override { return "nutrition"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    usual_ = pop.add<state::ProteinGPerKg>(
        {"nutrition.usual_protein_g_per_kg", "g/kg/day", "usual protein intake when well", {}});
    today_ = pop.add<state::ProteinGPerKg>(
        {state::kProtein, "g/kg/day", "protein eaten today", {}, true, true});
    malnourished_ =
        pop.add<std::uint8_t>({state::kMalnourished, "", "1 while malnourished", {}, true, true});
    budget_ = pop.add<HazardBudget>(
        {"nutrition.budget", kBudgetUnit, "hazard budget (onset or recovery)", {}, false});
    malnourished_series_ =
        reg.add_series({"malnourished", "people", "people malnourished at the end of the period",
                        SeriesKind::Level});
    protein_series_ =
        reg.add_series({"mean_protein_g_per_kg", "g/kg/day",
                        "mean protein eaten on the last day of the period", SeriesKind::Mean});
    low_protein_series_ = reg.add_series(
        {"protein_below_0_8", "people",
         "people eating less than the RDA of 0.8 g/kg/day (Bauer 2013)", SeriesKind::Level});
    onset_event_ = reg.add_event_type({"malnutrition", "1 onset, 0 recovery"});
  }

  void connect(const Population& pop) override {
    days_left_ = pop.get_sparse<std::int16_t>(state::kHospitalDaysLeft);
    conditions_ = pop.get<std::uint16_t>(state::kConditions);
    supplement_ = pop.sparse_lookup(state::kProteinSupplement);
  }

  void init(const Block& b, const Rng& rng) override {
    rng.for_each_normal(kUsualStream, b.begin, b.end, kInitDay, [&](std::uint32_t i, double z) {
      usual_[i] = static_cast<float>(std::max(0.2, mean_ + sd_ * z));
      today_[i] = usual_[i];
    });
    initial_budgets(rng, kOnsetStream, b.begin, b.end, budget_);
  }

  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    // Today's intake is what quiet days read (muscle); after a stay it is set back on the next
    // daily step. At the start of a period after the first it is already the day's: record() set
    // it at the last one's end, and nothing it depends on changes in between (the state of
    // set-up, for the first period, and of busy days, for marks mid-period, is checked).
    const bool check_intake = busy.first_day() != p.first_day || p.index == 0;
    for (const std::uint32_t i : agents) {
      if (days_left_[i] > 0 || (check_intake && today_[i] != intake(i, false)))
        busy.now(i);
      else
        busy.until_spent(i, budget_[i], rate(i, false), kChangeSlot);
    }
  }
  int remembered_hazards() const override { return 1; }

  // A quiet person's intake is already the day's: mark_busy() made anyone else busy, and nothing
  // it depends on moves in quiet days.
  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    for (const auto [i, days] : quiet)
      spend_quiet_quanta(budget_[i], ctx.marked_quanta(kChangeSlot, i), days);
  }

  void step(const Block&, StepContext& ctx) override {
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      const bool in_hospital = days_left_[i] > 0;
      const double r = rate(i, in_hospital);
      if (r > 0 && spend_hazard(budget_[i], r, ctx.rng,
                                malnourished_[i] ? kRecoveryStream : kOnsetStream, i, ctx.day)) {
        malnourished_[i] = !malnourished_[i];
        ctx.event(i, onset_event_, malnourished_[i]);
      }
      set_intake(i, in_hospital);
    }
  }

  // Intake follows the day's state: set again here so that an onset on the period's last day is
  // in the next period's first-day state, which quiet days read (core/module.hpp).
  void record(RecordContext& ctx) override {
    BandCounts<2> counts(ctx, {low_protein_series_, malnourished_series_});
    for (const auto [i, sex, band] : ctx.living) {
      set_intake(i, days_left_[i] > 0);
      ctx.tally(protein_series_, sex, band, today_[i]);
      counts.person(sex, band);
      counts.count(0, today_[i] < 0.8f);
      counts.count(1, malnourished_[i] != 0);
    }
    counts.finish();
  }

 private:
  // The daily hazard of leaving the present state: recovery (not while in hospital) or onset.
  double rate(std::uint32_t i, bool in_hospital) const {
    return rate_[malnourished_[i] != 0][in_hospital];
  }

  // Rounded as the column holds it, so that it compares equal to today's intake when unchanged.
  state::ProteinGPerKg intake(std::uint32_t i, bool in_hospital) const {
    constexpr std::uint16_t kCachexia = disease::bit(disease::kCancerCachexia);
    // Factors from tables by state, 1 where a state is absent (a product by 1 changes no bit):
    // loads, not branches, which the mix of states (malnourished or not) would mispredict.
    double f = 1;
    f *= hospital_factor_[in_hospital];
    f *= cachexia_factor_[(conditions_[i] & kCachexia) != 0];
    f *= malnourished_factor_[malnourished_[i] != 0];
    return (usual_[i] + supplement_[i]) * f;
  }
  void set_intake(std::uint32_t i, bool in_hospital) { today_[i] = intake(i, in_hospital); }

  double mean_, sd_;
  double hospital_factor_[2], cachexia_factor_[2], malnourished_factor_[2];  // {1, the factor}
  double rate_[2][2];  // [malnourished][in hospital]: onset, or recovery (none in hospital)
  CoreColumns core_{};
  state::ProteinGPerKg *usual_ = nullptr, *today_ = nullptr;
  SparseLookupColumn supplement_;
  HazardBudget* budget_ = nullptr;
  std::uint8_t* malnourished_ = nullptr;
  Sparse<std::int16_t> days_left_;
  std::uint16_t* conditions_ = nullptr;
  SeriesId malnourished_series_ = -1, protein_series_ = -1, low_protein_series_ = -1;
  EventTypeId onset_event_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_nutrition(const ParamSet& params) {
  return std::make_unique<Nutrition>(params);
}

}  // namespace sarcosim
