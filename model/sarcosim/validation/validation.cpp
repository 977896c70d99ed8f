#include "sarcosim/validation/validation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/modules/cohort.hpp"

namespace sarcosim {
namespace {

struct Study {
  const ValidationOptions& opt;

  RunResult run(const std::vector<std::string>& study, std::size_t agents) const {
    std::vector<std::string> overrides = opt.overrides;
    overrides.insert(overrides.end(), study.begin(), study.end());
    overrides.push_back("run.agents=" + std::to_string(agents));
    overrides.push_back("run.seed=" + std::to_string(opt.seed));
    overrides.push_back("output.events=false");
    RunOptions ro;
    ro.threads = opt.threads;
    return run_simulation(parse_scenario_text("", "validation", overrides), ro);
  }
};

template <class T>
const T* column(const RunResult& r, const char* name) {
  return r.population.get<T>(name);
}

// Mean change over a disuse exposure in the cohort: ALM (kg) and leg strength (relative).
struct DisuseChange {
  double alm_kg, alm_relative, leg_strength_relative;
};
DisuseChange disuse_change(const RunResult& r) {
  const CoreColumns c = CoreColumns::find(r.population);
  const auto member = r.population.get_sparse<std::uint8_t>(kCohortMemberColumn);
  const auto* leg = column<float>(r, state::kLegStrength);
  double d_alm = 0, rel = 0, d_leg = 0, n = 0;
  for (std::size_t i = 0; i < r.population.size(); ++i) {
    if (!member[i] || !c.alive[i]) continue;
    d_alm += c.alm_kg[i] - c.alm_kg_start[i];
    rel += c.alm_kg[i] / c.alm_kg_start[i] - 1;
    d_leg += leg[i] - 1;
    ++n;
  }
  return {d_alm / n, rel / n, d_leg / n};
}

void kortebein(const Study& s, std::vector<ValidationResult>& out) {
  // Kortebein 2007: 12 healthy volunteers (67 +/- 5 y), 10 days of strict bed rest.
  const RunResult r = s.run({"run.years=" + std::to_string(10 / 365.25), "cohort.exposure=bed_rest",
                             "cohort.days=10", "cohort.age_min=62", "cohort.age_max=72"},
                            s.opt.agents);
  const DisuseChange d = disuse_change(r);
  // The model's leg share of the lean lost in bed rest (arms lose a little too).
  const double leg_share = 0.75 / (0.75 + 0.25 * 0.25);
  out.push_back({"Kortebein 2007", "leg lean mass change, 10 days bed rest, 62-72 y", "kg",
                 d.alm_kg * leg_share, -0.95, -1.25, -0.65, "JAMA 297:1772"});
  out.push_back({"Kortebein 2008", "knee-extensor strength change, 10 days bed rest", "%",
                 100 * d.leg_strength_relative, -14.5, -18, -11,
                 "J Gerontol A 63:1076: -13 to -16 %"});
}

void wall(const Study& s, std::vector<ValidationResult>& out) {
  // Wall 2014: 5 days of one-leg cast immobilisation (young men; the model's youngest are 60).
  const RunResult r =
      s.run({"run.years=" + std::to_string(5 / 365.25), "cohort.exposure=leg_immobilisation",
             "cohort.days=5", "cohort.age_min=60", "cohort.age_max=65", "cohort.sex=male"},
            s.opt.agents);
  const DisuseChange d = disuse_change(r);
  // Change of the immobilised leg: one leg holds half the legs' share of ALM and of strength.
  out.push_back({"Wall 2014", "immobilised-leg muscle size change, 5 days", "%",
                 100 * d.alm_relative / (0.75 / 2), -3.5, -5, -2, "Acta Physiol 210:600"});
  out.push_back({"Wall 2014", "immobilised-leg strength change, 5 days", "%",
                 100 * d.leg_strength_relative / 0.5, -9.0, -12, -6, "Acta Physiol 210:600"});
}

void goodpaster(const Study& s, std::vector<ValidationResult>& out) {
  // Goodpaster 2006 (Health ABC): people aged 70-79 followed 3 years; survivors' annual change.
  const YearlyLoss loss =
      yearly_loss_70_79(s.run({"run.years=3", "population.age_min=70"}, s.opt.agents));
  const double alm_rate = -100 * (std::exp(-loss.alm) - 1);
  const double leg_rate = -100 * (std::exp(-loss.leg) - 1);
  out.push_back({"Goodpaster 2006", "lean mass loss, age 70-79, survivors", "%/yr", alm_rate, 1.0,
                 0.65, 1.35, "J Gerontol A 61:1059; Mitchell 2012 0.64-0.98 %/yr"});
  out.push_back({"Goodpaster 2006", "strength loss / lean mass loss, age 70-79", "ratio",
                 leg_rate / alm_rate, 3.0, 2.0, 4.0, "J Gerontol A 61:1059: strength ~3x faster"});
}

void houston(const Study& s, std::vector<ValidationResult>& out) {
  // Houston 2008 (Health ABC, 70-79): 3-year ALM change by quintile of protein intake.
  const RunResult r = s.run({"run.years=3", "population.age_min=70"}, s.opt.agents);
  const CoreColumns c = CoreColumns::find(r.population);
  const auto usual_column = r.population.column("nutrition.usual_protein_g_per_kg");
  auto usual = [&](std::size_t i) { return column_value(usual_column, i); };
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < r.population.size(); ++i)
    if (c.alive[i] && age_years(0, c.birth_day[i]) < 80) idx.push_back(i);
  std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return usual(a) < usual(b); });
  auto mean_change = [&](std::size_t from, std::size_t to) {
    double sum = 0;
    for (std::size_t k = from; k < to; ++k)
      sum += c.alm_kg[idx[k]] - c.alm_kg_start[idx[k]];
    return sum / static_cast<double>(to - from);
  };
  const std::size_t q = idx.size() / 5;
  out.push_back({"Houston 2008", "3-yr ALM change, top protein quintile", "kg",
                 mean_change(idx.size() - q, idx.size()), -0.40, -0.60, -0.20, "AJCN 87:150"});
  out.push_back({"Houston 2008", "3-yr ALM change, bottom protein quintile", "kg",
                 mean_change(0, q), -0.66, -0.90, -0.45, "AJCN 87:150"});
}

void population_rates(const Study& s, std::vector<ValidationResult>& out) {
  // One year of the baseline population: falls, hospital stays, mortality.
  const RunResult r = s.run({"run.years=1", "population.age_min=65"}, s.opt.agents);
  const auto falls = r.population.get_sparse<std::uint16_t>("falls.count");
  double fallers = 0;
  for (std::size_t i = 0; i < r.population.size(); ++i)
    fallers += falls[i] > 0;
  out.push_back({"WHO 2007", "share of people 65+ who fall in a year", "%",
                 100 * fallers / static_cast<double>(r.population.size()), 31.5, 27, 36,
                 "WHO global report on falls prevention: 28-35 %"});

  const Registry& reg = r.registry;
  auto per_1000 = [&](const std::vector<std::string>& series, int band_lo, int band_hi) {
    double events = 0, py = 0;
    for (std::size_t p = 0; p < r.periods.size(); ++p)
      for (int sex = 0; sex < 2; ++sex)
        for (int b = band_lo; b <= band_hi; ++b) {
          py += r.at(p, reg.person_years, sex, b);
          for (const auto& name : series)
            events += r.at(p, reg.find_series(name), sex, b);
        }
    return 1000 * events / py;
  };
  const std::vector<std::string> admissions = {"admissions_illness", "admissions_hip_fracture",
                                               "admissions_other_fracture", "admissions_stroke",
                                               "admissions_neurological"};
  out.push_back({"HCUP SB79", "hospital stays per 1000 per year, 65-74", "per 1000",
                 per_1000(admissions, 4, 5), 260, 200, 320, "HCUP Statistical Brief 79"});
  out.push_back({"HCUP SB103 / NCHS 182", "hospital stays per 1000 per year, 85+", "per 1000",
                 per_1000(admissions, 8, AgeBands::kCount - 1), 575, 450, 700,
                 "HCUP SB103; NCHS Data Brief 182: 550-600"});
  double stays = 0, bed_days = 0;
  for (std::size_t p = 0; p < r.periods.size(); ++p) {
    bed_days += r.total(p, reg.find_series("bed_days"));
    for (const auto& name : admissions)
      stays += r.total(p, reg.find_series(name));
  }
  out.push_back({"HCUP SB79", "mean length of stay", "days", bed_days / stays, 5.4, 4.0, 7.0,
                 "HCUP SB79: 5.4 d at 65-74; Brown 2009: ~5 d"});
  auto by_sex = [&](const char* series, int sex) {
    double events = 0, py = 0;
    for (std::size_t p = 0; p < r.periods.size(); ++p)
      for (int b = 0; b < AgeBands::kCount; ++b) {
        events += r.at(p, reg.find_series(series), sex, b);
        py += r.at(p, reg.person_years, sex, b);
      }
    return 1000 * events / py;
  };
  out.push_back({"Dubbo (Chang 2004)",
                 "hip fractures per 1000 person-years, women 65+ (Dubbo: 60+)", "per 1000",
                 by_sex("fractures_hip", 1), 7.6, 4.5, 12, "J Bone Miner Res 19:532 (60+)"});
  out.push_back({"Dubbo (Chang 2004)", "hip fractures per 1000 person-years, men 65+ (Dubbo: 60+)",
                 "per 1000", by_sex("fractures_hip", 0), 3.3, 1.8, 6,
                 "J Bone Miner Res 19:532 (60+)"});
  out.push_back({"SSA 2019", "deaths per 1000 person-years, 70-74", "per 1000",
                 per_1000({"deaths"}, 5, 5), 22.6, 18, 27,
                 "SSA period life table 2019: qx 70-74 averaged over sexes"});
}

}  // namespace

YearlyLoss yearly_loss_70_79(const RunResult& r) {
  const CoreColumns c = CoreColumns::find(r.population);
  const auto* leg = column<float>(r, state::kLegStrength);
  double alm = 0, strength = 0, n = 0;
  for (std::size_t i = 0; i < r.population.size(); ++i) {
    if (!c.alive[i] || age_years(0, c.birth_day[i]) >= 80) continue;
    alm += std::log(c.alm_kg[i] / c.alm_kg_start[i]);
    strength += std::log(leg[i]);
    ++n;
  }
  const double years = r.days / kDaysPerYear;
  return {-alm / n / years, -strength / n / years};
}

std::vector<ValidationResult> run_validation(const ValidationOptions& options) {
  const Study s{options};
  std::vector<ValidationResult> out;
  kortebein(s, out);
  wall(s, out);
  goodpaster(s, out);
  houston(s, out);
  population_rates(s, out);
  return out;
}

}  // namespace sarcosim
