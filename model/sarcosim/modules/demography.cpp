#include "sarcosim/modules/demography.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "sarcosim/core/csv.hpp"
#include "sarcosim/core/day_of_age_table.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/math_lanes.hpp"
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/physiology/mortality_curve.hpp"
#include "sarcosim/population/synthesis.hpp"

namespace sarcosim {

std::span<const ParamSpec> demography_params() {
  static constexpr ParamSpec k[] = {
      choice_param("demography.mortality", "life_table", "life_table|gompertz",
                   "baseline mortality: the period life table or a Gompertz curve",
                   "SSA period life table 2019 (2020 Trustees Report, Alt. 2)"),
      path_param("demography.life_table_csv", "",
                 "CSV with columns age, qx_male, qx_female replacing the built-in table",
                 "user data"),
      real_param("demography.gompertz_mu65_men", 0.0130, 0, 1, "1/yr",
                 "Gompertz mortality at 65, men",
                 "least-squares fit to the SSA 2019 period table, ages 65-95 (e65 17.99 y)"),
      real_param("demography.gompertz_b_men", 0.1011, 0, 0.3, "1/yr",
                 "Gompertz rate of increase with age, men", "same fit as gompertz_mu65_men"),
      real_param("demography.gompertz_mu65_women", 0.0082, 0, 1, "1/yr",
                 "Gompertz mortality at 65, women",
                 "least-squares fit to the SSA 2019 period table, ages 65-95 (e65 20.49 y)"),
      real_param("demography.gompertz_b_women", 0.1101, 0, 0.3, "1/yr",
                 "Gompertz rate of increase with age, women", "same fit as gompertz_mu65_women"),
      real_param("demography.mortality_multiplier", 0.92, 0, 10, "",
                 "multiplies the life table's mortality (0 switches background deaths off)",
                 "calibrated so that all-cause mortality, with the excess deaths after intensive "
                 "care and fractures, matches the SSA 2019 table at 70-74 (`sarcosim validate`)"),
      real_param("demography.grip_hr_per_5kg", 1.16, 0.5, 3, "",
                 "mortality hazard ratio per 5 kg lower grip than the age-sex median",
                 "Leong 2015, Lancet 386:266 (PURE): HR 1.16 per 5 kg lower grip"),
  };
  return k;
}

namespace {

constexpr StreamId kDeathStream = stream("demography.death");
constexpr int kDeathSlot = 0;  // the death hazard, kept from marks for quiet days
constexpr StreamId kCauseStream = stream("demography.cause");
constexpr int kMaxAge = MortalityCurve::kMaxAge;

class Demography final : public Module {
 public:
  explicit Demography(const ParamSet& p)
      : multiplier_(p.real("demography.mortality_multiplier")),
        log_grip_hr_per_5kg_(std::log(p.real("demography.grip_hr_per_5kg"))) {
    MortalityCurve curves[2];
    if (p.text("demography.mortality") == "gompertz") {
      curves[kMale] = MortalityCurve::gompertz(p.real("demography.gompertz_mu65_men"),
                                               p.real("demography.gompertz_b_men"));
      curves[kFemale] = MortalityCurve::gompertz(p.real("demography.gompertz_mu65_women"),
                                                 p.real("demography.gompertz_b_women"));
    } else if (const std::string& file = p.text("demography.life_table_csv"); !file.empty()) {
      const auto rows = read_table(file);
      curves[kMale] = MortalityCurve::from_life_table(rows, false);
      curves[kFemale] = MortalityCurve::from_life_table(rows, true);
    } else {
      curves[kMale] = MortalityCurve::from_life_table(data::ssa_2019_life_table(), false);
      curves[kFemale] = MortalityCurve::from_life_table(data::ssa_2019_life_table(), true);
    }
    for (int s = 0; s < 2; ++s)
      for (int a = 0; a < kMaxAge; ++a)
        daily_[s][a] = curves[s].hazard(a) * multiplier_ / kDaysPerYear;
  }

  std::string_view name() const override { return "demography"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    count_ = static_cast<std::uint32_t>(pop.size());
    budget_ = pop.add<HazardBudget>(
        {"demography.death_budget", kBudgetUnit, "hazard budget left before death", {}, false});
    grip_hr_ = pop.add<Ratio16>(
        {"demography.grip_hr", "", "mortality hazard ratio from grip strength (Leong 2015)", {}},
        1.0);
    background_ = reg.add_death_cause("background", "baseline (life-table) mortality");
    weakness_ = reg.add_death_cause("low_strength", "excess mortality of low grip strength");
    disease_ = reg.add_death_cause("disease", "excess mortality of the person's conditions");
    fracture_ = reg.add_death_cause("fracture", "excess mortality after a fracture");
  }

  void connect(const Population& pop) override {
    disease_hr_ = pop.lookup(state::kConditionMortalityHr);
    fracture_hr_ = pop.get<Ratio16>(state::kFractureMortalityHr);
  }

  void init(const Block& b, const Rng& rng) override {
    initial_budgets(rng, kDeathStream, b.begin, b.end, budget_);
    update_grip_hrs(
        b.end - b.begin, [&](std::size_t k) { return b.begin + static_cast<std::uint32_t>(k); }, 0);
  }

  // At the start: the mean hazard ratio by sex and age band, which the life table already
  // contains (its rates are those of people with the usual mix of conditions and strength at
  // each age). Dividing by it, by the person's current band, keeps mortality at the table's.
  void begin_period(const Period& p, const Rng&) override {
    if (p.index != 0) return;
    double sum[2][AgeBands::kCount] = {}, n[2][AgeBands::kCount] = {};
    for (std::uint32_t i = 0; i < count_; ++i) {
      const int band = AgeBands::at(0, core_.birth_day[i]);
      sum[core_.sex[i]][band] += hazard_ratio(i);
      n[core_.sex[i]][band] += 1;
    }
    for (int s = 0; s < 2; ++s)
      for (int b = 0; b < AgeBands::kCount; ++b)
        scale_[s][b] = n[s][b] > 0 ? n[s][b] / sum[s][b] : 1.0;
    // Bands above the oldest one observed keep the oldest observed scale.
    for (int s = 0; s < 2; ++s)
      for (int b = 1; b < AgeBands::kCount; ++b)
        if (n[s][b] == 0 && n[s][b - 1] > 0) {
          scale_[s][b] = scale_[s][b - 1];
          n[s][b] = 1;
        }
    tabulate_hazards();
  }

  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    for (const std::uint32_t i : agents)
      busy.until_spent(i, budget_[i], hazard(i, p.first_day), kDeathSlot);
  }
  int remembered_hazards() const override { return 1; }

  void advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) override {
    for (const auto [i, days] : quiet)
      spend_quiet_quanta(budget_[i], ctx.marked_quanta(kDeathSlot, i), days);
  }

  void step(const Block&, StepContext& ctx) override {
    for (const std::uint32_t i : ctx.agents) {
      if (!core_.alive[i]) continue;
      if (spend_hazard(budget_[i], hazard(i, ctx.period.first_day), ctx.rng, kDeathStream, i,
                       ctx.day))
        ctx.request_death(i, cause_of(i, hazard_ratio(i), ctx));
    }
  }

  std::vector<double> save_extra() const override {
    return {&scale_[0][0], &scale_[0][0] + 2 * AgeBands::kCount};
  }
  void load_extra(const std::vector<double>& v) override {
    if (v.size() == 2 * AgeBands::kCount) std::copy(v.begin(), v.end(), &scale_[0][0]);
    tabulate_hazards();
  }

  void record(RecordContext& ctx) override {
    update_grip_hrs(
        ctx.living.size(), [&](std::size_t k) { return ctx.living[k].agent; },
        ctx.period.end_day - 1);
  }

 private:
  double hazard(std::uint32_t i, std::int32_t day) const {
    return (*by_day_of_age_[core_.sex[i]])(day, core_.birth_day[i]) * hazard_ratio(i);
  }
  // The life table's daily hazard at the age, times the scale of the age band: by day of age, the
  // same doubles as computing them (a load for every person and period instead of two divisions).
  void tabulate_hazards() {
    for (int s = 0; s < 2; ++s)
      by_day_of_age_[s] = std::make_unique<DayOfAgeTable>([this, s](double age) {
        const int a = std::min(kMaxAge - 1, static_cast<int>(age));
        return daily_[s][a] * scale_[s][AgeBands::of(age)];
      });
  }

  double hazard_ratio(std::uint32_t i) const {
    return static_cast<double>(grip_hr_[i]) * disease_hr_[i] * fracture_hr_[i];
  }

  // The grip hazard ratio of people agent_of(0 .. n - 1) on `day`, 16 exponentials at a time
  // (core/math_lanes.hpp). The ratio is kept in half precision (11 significant bits), so the
  // lanes' exp gives libm's ratio wherever it is not near a midpoint between two halves (all but
  // about one in 10^8); there libm's exp decides. (Beyond the lanes' range, -708 .. 709, the
  // lanes' value and libm's are both beyond the half's range, and held to the same end of it.)
  template <class AgentOf>
  void update_grip_hrs(std::size_t n, AgentOf agent_of, std::int32_t day) {
    alignas(64) double log_hr[kMathLanes], hr[kMathLanes];
    std::uint32_t agent[kMathLanes];
    bool alike[kMathLanes];
    for (std::size_t first = 0; first < n; first += kMathLanes) {
      const std::size_t lanes = std::min<std::size_t>(kMathLanes, n - first);
      for (std::size_t j = 0; j < kMathLanes; ++j) {
        const std::uint32_t i = agent_of(first + std::min(j, lanes - 1));  // the last, repeated
        agent[j] = i;
        log_hr[j] = physiology::grip_mortality_log_hr(
            log_grip_hr_per_5kg_, grip_norms_(day, core_.birth_day[i], core_.sex[i]).median,
            core_.grip_kg[i]);
      }
      exp_lanes(log_hr, hr);
      for (std::size_t j = 0; j < kMathLanes; ++j)
        alike[j] = rounds_alike(hr[j], Ratio16::kSignificantBits);
      for (std::size_t j = 0; j < lanes; ++j)
        grip_hr_[agent[j]] = alike[j] ? hr[j] : std::exp(log_hr[j]);
    }
  }

  // Background with probability 1/HR (when HR > 1), otherwise the excess, shared between the
  // factors above 1 in proportion to their log hazard ratios.
  std::uint8_t cause_of(std::uint32_t i, double hr, StepContext& ctx) const {
    if (hr <= 1) return background_;
    const double u = ctx.rng.uniform(kCauseStream, i, ctx.day);
    if (u < 1 / hr) return background_;
    const double parts[3] = {std::max(0.0, std::log(static_cast<double>(grip_hr_[i]))),
                             std::max(0.0, std::log(static_cast<double>(disease_hr_[i]))),
                             std::max(0.0, std::log(static_cast<double>(fracture_hr_[i])))};
    const std::uint8_t causes[3] = {weakness_, disease_, fracture_};
    double x = (u - 1 / hr) / (1 - 1 / hr) * (parts[0] + parts[1] + parts[2]);
    for (int k = 0; k < 2; ++k) {
      if (x < parts[k]) return causes[k];
      x -= parts[k];
    }
    return causes[2];
  }

  static std::vector<data::LifeTableRow> read_table(const std::string& file) {
    const CsvTable t = read_csv(file);
    const int ca = t.require_column("age"), cm = t.require_column("qx_male"),
              cf = t.require_column("qx_female");
    std::vector<data::LifeTableRow> rows;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      data::LifeTableRow row{static_cast<int>(t.number_in(r, ca, 0, kMaxAge - 1, true)),
                             t.number(r, cm), t.number(r, cf)};
      if (!(row.qx_male >= 0 && row.qx_male < 1 && row.qx_female >= 0 && row.qx_female < 1))
        throw InputError(t.where(r) + ": qx must be in [0, 1)");
      if (!rows.empty() && row.age != rows.back().age + 1)
        throw InputError(t.where(r) + ": ages must be consecutive whole years");
      rows.push_back(row);
    }
    return rows;
  }

  double multiplier_, log_grip_hr_per_5kg_;
  double daily_[2][kMaxAge];
  std::uint32_t count_ = 0;
  CoreColumns core_{};
  HazardBudget* budget_ = nullptr;
  Ratio16 *grip_hr_ = nullptr, *fracture_hr_ = nullptr;
  GripNorms grip_norms_;
  LookupColumn disease_hr_;
  double scale_[2][AgeBands::kCount] = {};
  std::unique_ptr<DayOfAgeTable> by_day_of_age_[2];  // daily hazard x scale (tabulate_hazards)
  std::uint8_t background_ = 0, weakness_ = 0, disease_ = 0, fracture_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_demography(const ParamSet& params) {
  return std::make_unique<Demography>(params);
}

}  // namespace sarcosim
