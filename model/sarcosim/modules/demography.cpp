#include "sarcosim/modules/demography.hpp"

#include <cmath>

#include "sarcosim/core/csv.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/physiology/mortality_curve.hpp"

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
      real_param("demography.mortality_multiplier", 1, 0, 10, "",
                 "multiplies baseline mortality (0 switches background deaths off)",
                 "1 = the source table"),
  };
  return k;
}

namespace {

constexpr StreamId kDeathStream = stream("demography.death");

class Demography final : public Module {
 public:
  explicit Demography(const ParamSet& p) : multiplier_(p.real("demography.mortality_multiplier")) {
    if (p.text("demography.mortality") == "gompertz") {
      curves_[kMale] = MortalityCurve::gompertz(p.real("demography.gompertz_mu65_men"),
                                                p.real("demography.gompertz_b_men"));
      curves_[kFemale] = MortalityCurve::gompertz(p.real("demography.gompertz_mu65_women"),
                                                  p.real("demography.gompertz_b_women"));
    } else if (const std::string& file = p.text("demography.life_table_csv"); !file.empty()) {
      const auto rows = read_table(file);
      curves_[kMale] = MortalityCurve::from_life_table(rows, false);
      curves_[kFemale] = MortalityCurve::from_life_table(rows, true);
    } else {
      curves_[kMale] = MortalityCurve::from_life_table(data::ssa_2019_life_table(), false);
      curves_[kFemale] = MortalityCurve::from_life_table(data::ssa_2019_life_table(), true);
    }
  }

  std::string_view name() const override { return "demography"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    planned_ = pop.add<std::int32_t>({"demography.planned_death_day",
                                      "day",
                                      "day of death from background mortality, drawn ahead",
                                      {},
                                      false});
    cause_ = reg.add_death_cause("background", "baseline (life-table) mortality");
  }

  void init(const Block& b, const Rng& rng) override {
    for (std::uint32_t i = b.begin; i < b.end; ++i) {
      const double e = rng.exponential(kDeathStream, i, kInitDay);
      planned_[i] = plan(core_.sex[i], age_years(0, core_.birth_day[i]), e);
    }
  }

  void step(const Block& b, StepContext& ctx) override {
    const std::uint8_t* alive = core_.alive;
    for (std::uint32_t i = b.begin; i < b.end; ++i)
      if (alive[i] & (planned_[i] == ctx.day)) ctx.request_death(i, cause_);
  }

 private:
  static std::vector<data::LifeTableRow> read_table(const std::string& file) {
    const CsvTable t = read_csv(file);
    const int ca = t.require_column("age"), cm = t.require_column("qx_male"),
              cf = t.require_column("qx_female");
    std::vector<data::LifeTableRow> rows;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      data::LifeTableRow row{static_cast<int>(t.number(r, ca)), t.number(r, cm), t.number(r, cf)};
      if (!(row.qx_male >= 0 && row.qx_male < 1 && row.qx_female >= 0 && row.qx_female < 1))
        throw InputError(t.where(r) + ": qx must be in [0, 1)");
      if (!rows.empty() && row.age != rows.back().age + 1)
        throw InputError(t.where(r) + ": ages must be consecutive whole years");
      rows.push_back(row);
    }
    return rows;
  }

  // The first day on which the cumulative hazard since day 0 exceeds the budget e.
  std::int32_t plan(std::uint8_t sex, double age0, double e) const {
    if (multiplier_ <= 0) return kNotDead;
    const MortalityCurve& c = curves_[sex];
    const double death_age = c.age_at_cumulative(c.cumulative(age0) + e / multiplier_);
    const double day = std::floor((death_age - age0) * kDaysPerYear);
    return day >= static_cast<double>(kNotDead - 1) ? kNotDead : static_cast<std::int32_t>(day);
  }

  double multiplier_;
  MortalityCurve curves_[2];
  CoreColumns core_{};
  std::int32_t* planned_ = nullptr;
  std::uint8_t cause_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_demography(const ParamSet& params) {
  return std::make_unique<Demography>(params);
}

}  // namespace sarcosim
