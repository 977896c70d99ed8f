// Baseline mortality as a hazard that is constant within each year of age, so its cumulative
// hazard H(age) is piecewise linear and can be inverted exactly. This lets a death time be drawn
// ahead (the age at which H reaches H(now) + E, E ~ Exp(1)) instead of a draw every day.
#pragma once

#include <span>
#include <vector>

#include "sarcosim/data/reference_data.hpp"

namespace sarcosim {

class MortalityCurve {
 public:
  static constexpr int kMaxAge = 130;

  // From a period life table: mu = -ln(1 - qx). Ages below the table use its first row; ages above
  // its last row keep the last row's hazard.
  static MortalityCurve from_life_table(std::span<const data::LifeTableRow> rows, bool female);
  // Gompertz: mu(x) = mu65 * exp(b (x - 65)), integrated exactly over each year of age.
  static MortalityCurve gompertz(double mu65, double b);

  double hazard(double age) const;           // per year
  double cumulative(double age) const;       // from age 0
  double age_at_cumulative(double h) const;  // inverse of cumulative; kMaxAge if beyond
  // Probability of dying within a year at exact age x (for tests against qx).
  double qx(int age) const;

 private:
  std::vector<double> mu_;   // hazard in [k, k+1)
  std::vector<double> cum_;  // H(k)
};

}  // namespace sarcosim
