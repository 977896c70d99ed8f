#include <catch2/catch.hpp>

#include "sarcosim/core/simulation.hpp"
#include "sarcosim/physiology/muscle_ageing.hpp"
#include "sarcosim/validation/validation.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("loss rate is its value at 75 and rises with age", "[physiology][muscle]") {
  CHECK(physiology::loss_rate_at(0.009, 0.03, 75) == Approx(0.009));
  CHECK(physiology::loss_rate_at(0.009, 0.03, 85) == Approx(0.009 * 1.3));
  CHECK(physiology::loss_rate_at(0.009, 0.03, 30) == 0.0);  // never a gain
  CHECK(physiology::daily_retention(0.0) == 1.0);
}

TEST_CASE("a year of daily retention equals exponential loss to 1e-6", "[physiology][muscle]") {
  double x = 1;
  for (int d = 0; d < 365; ++d)
    x *= physiology::daily_retention(0.01);
  CHECK(x == Approx(std::exp(-0.01 * 365 / 365.25)).epsilon(1e-6));
}

TEST_CASE("a period's retention is the daily one to the power of its days",
          "[physiology][muscle]") {
  for (const double rate : {0.0, 0.0029, 0.018, 0.3, 2.0})
    for (const int days : {0, 1, 2, 7, 29, 30, 31, 365}) {
      double daily = 1;
      for (int d = 0; d < days; ++d)
        daily *= physiology::daily_retention(rate);
      INFO("rate " << rate << "/yr, " << days << " days");
      const double kept = physiology::retention_over(physiology::daily_retention(rate), days);
      CHECK(kept == Approx(daily).epsilon(1e-13));  // up to 365 roundings in the daily product
      CHECK(kept == Approx(std::pow(physiology::daily_retention(rate), days)).epsilon(1e-14));
    }
  CHECK(physiology::retention_over(0.5, 0) == 1.0);
  CHECK(physiology::retention_over(0.5, 3) == 0.125);
}

namespace {
// Mean relative change of ALM and leg strength per year among people who were 70-79 at the start.
YearlyLoss yearly_loss(const std::vector<std::string>& overrides) {
  std::vector<std::string> o = {"run.agents=6000", "run.years=3", "population.age_min=70"};
  o.insert(o.end(), overrides.begin(), overrides.end());
  return yearly_loss_70_79(run_simulation(test::small_scenario(o)));
}
}  // namespace

TEST_CASE("strength falls faster than lean mass with age alone", "[physiology][muscle]") {
  // Goodpaster 2006: strength is lost about three times as fast as mass.
  const YearlyLoss intrinsic =
      yearly_loss({"hospital.enabled=false", "disease.enabled=false", "falls.enabled=false",
                   "nutrition.malnutrition_onset_rate=0"});
  INFO("lean " << intrinsic.alm << "/yr, leg strength " << intrinsic.leg << "/yr");
  CHECK(intrinsic.alm > 0);
  CHECK(intrinsic.leg > 2 * intrinsic.alm);
}

TEST_CASE("hospital stays, disease and low protein each speed up muscle loss",
          "[physiology][muscle]") {
  const YearlyLoss all = yearly_loss({});
  CHECK(yearly_loss({"hospital.enabled=false"}).alm < all.alm);
  CHECK(yearly_loss({"disease.enabled=false"}).alm < all.alm);
  CHECK(yearly_loss({"nutrition.protein_mean=1.4"}).alm < all.alm);
  CHECK(yearly_loss({"activity.share_inactive_70=0.05"}).alm < all.alm);
}
