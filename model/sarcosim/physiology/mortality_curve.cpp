#include "sarcosim/physiology/mortality_curve.hpp"

#include <algorithm>
#include <cmath>

namespace sarcosim {

MortalityCurve MortalityCurve::from_life_table(std::span<const data::LifeTableRow> rows,
                                               bool female) {
  std::vector<double> mu(kMaxAge);
  for (int a = 0; a < kMaxAge; ++a) {
    const auto& row = a <= rows.front().age  ? rows.front()
                      : a >= rows.back().age ? rows.back()
                                             : rows[static_cast<std::size_t>(a - rows.front().age)];
    const double q = female ? row.qx_female : row.qx_male;
    mu[static_cast<std::size_t>(a)] = -std::log1p(-q);
  }
  MortalityCurve c;
  c.mu_ = std::move(mu);
  c.cum_.assign(kMaxAge + 1, 0.0);
  for (int a = 0; a < kMaxAge; ++a)
    c.cum_[a + 1] = c.cum_[a] + c.mu_[a];
  return c;
}

MortalityCurve MortalityCurve::gompertz(double mu65, double b) {
  MortalityCurve c;
  c.mu_.resize(kMaxAge);
  for (int a = 0; a < kMaxAge; ++a)
    c.mu_[a] = mu65 / b * (std::exp(b * (a + 1 - 65)) - std::exp(b * (a - 65)));
  c.cum_.assign(kMaxAge + 1, 0.0);
  for (int a = 0; a < kMaxAge; ++a)
    c.cum_[a + 1] = c.cum_[a] + c.mu_[a];
  return c;
}

double MortalityCurve::hazard(double age) const {
  const int a = std::clamp(static_cast<int>(age), 0, kMaxAge - 1);
  return mu_[a];
}

double MortalityCurve::cumulative(double age) const {
  if (age <= 0) return 0;
  if (age >= kMaxAge) return cum_[kMaxAge];
  const int a = static_cast<int>(age);
  return cum_[a] + mu_[a] * (age - a);
}

double MortalityCurve::age_at_cumulative(double h) const {
  if (h <= 0) return 0;
  if (h >= cum_[kMaxAge]) return kMaxAge;
  // First year whose end exceeds h.
  const auto it = std::upper_bound(cum_.begin(), cum_.end(), h);
  const int a = static_cast<int>(it - cum_.begin()) - 1;
  return a + (h - cum_[a]) / mu_[a];
}

double MortalityCurve::qx(int age) const {
  return -std::expm1(-(cumulative(age + 1) - cumulative(age)));
}

}  // namespace sarcosim
