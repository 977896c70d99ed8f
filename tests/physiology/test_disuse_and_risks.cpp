// The small physiology and risk functions, each checked against the figure of its source.
#include <catch2/catch.hpp>

#include "sarcosim/modules/activity.hpp"
#include "sarcosim/modules/demography.hpp"
#include "sarcosim/modules/disease.hpp"
#include "sarcosim/modules/falls.hpp"
#include "sarcosim/modules/fractures.hpp"
#include "sarcosim/modules/hospital.hpp"
#include "sarcosim/physiology/anabolic.hpp"
#include "sarcosim/physiology/disuse.hpp"
#include "sarcosim/physiology/sarcopenia_definitions.hpp"

using namespace sarcosim;
using namespace sarcosim::physiology;

TEST_CASE("bed-rest loss follows Kortebein 2007/2008 and Marusic 2021's time course",
          "[physiology][disuse]") {
  // Defaults: mass A = 0.0676, tau = 7 d; strength B = 0.0846, tau = 2.2 d.
  CHECK(disuse_loss(0.0676, 7, 10) == Approx(0.06).margin(0.002));    // leg lean -6 % in 10 d
  CHECK(disuse_loss(0.0846, 2.2, 10) == Approx(0.145).margin(0.01));  // strength -13 to -16 %
  CHECK(disuse_loss(0.0846, 2.2, 5) == Approx(0.09).margin(0.012));   // Wall 2014: -9 % in 5 d
  // Front-loaded: Marusic 2021 -2.2 % at 5 d vs -3.6 % at 10 d (ratio 0.61).
  CHECK(disuse_loss(0.0676, 7, 5) / disuse_loss(0.0676, 7, 10) == Approx(0.61).margin(0.03));
  CHECK(disuse_increment(0.0676, 7, 1) > disuse_increment(0.0676, 7, 10));
  // Strength is lost faster than mass, the more so early (Marusic 2021: ratio 4.2 at 5 d,
  // 2.4 at 14 d, ~1.9 beyond 35 d).
  const double r5 = disuse_loss(0.0846, 2.2, 5) / disuse_loss(0.0676, 7, 5);
  const double r14 = disuse_loss(0.0846, 2.2, 14) / disuse_loss(0.0676, 7, 14);
  const double r35 = disuse_loss(0.0846, 2.2, 35) / disuse_loss(0.0676, 7, 35);
  CHECK(r5 > r14);
  CHECK(r14 > r35);
  CHECK(r14 == Approx(2.4).margin(0.2));
  CHECK(r35 == Approx(1.9).margin(0.2));
}

TEST_CASE("recovery is slower and less complete with age", "[physiology][disuse]") {
  CHECK(recovery_halflife(14, 0.03, 85) > recovery_halflife(14, 0.03, 70));
  CHECK(recovery_halflife(14, 0.03, 70) == Approx(14));
  CHECK(unrecovered_share(0.15, 0.01, 85) > unrecovered_share(0.15, 0.01, 70));
  CHECK(unrecovered_share(0.9, 0.1, 100) <= 0.95);
}

TEST_CASE("protein multiplier reproduces Houston 2008's quintile contrast",
          "[physiology][nutrition]") {
  // Bottom (~0.7 g/kg) vs top (~1.1 g/kg) quintile: 0.66 vs 0.40 kg ALM loss in 3 years.
  const double ratio =
      protein_loss_multiplier(1.23, 0.9, 1.6, 0.7) / protein_loss_multiplier(1.23, 0.9, 1.6, 1.1);
  CHECK(ratio == Approx(0.66 / 0.40).margin(0.05));
  // Nothing more above 1.6 g/kg/day (Morton 2018).
  CHECK(protein_loss_multiplier(1.23, 0.9, 1.6, 2.5) ==
        protein_loss_multiplier(1.23, 0.9, 1.6, 1.6));
}

TEST_CASE("grip mortality hazard ratio is 1.16 per 5 kg (Leong 2015)", "[physiology][mortality]") {
  CHECK(grip_mortality_hr(1.16, 30, 25) == Approx(1.16));
  CHECK(grip_mortality_hr(1.16, 30, 20) == Approx(1.16 * 1.16));
  CHECK(grip_mortality_hr(1.16, 30, 30) == Approx(1.0));
}

TEST_CASE("hip fracture mortality follows Haentjens 2010", "[physiology][fractures]") {
  CHECK(fracture::hip_fracture_mortality_hr(7.95, 2, 1.4, 0) == 7.95);
  CHECK(fracture::hip_fracture_mortality_hr(7.95, 2, 1.4, 90) == 7.95);
  CHECK(fracture::hip_fracture_mortality_hr(7.95, 2, 1.4, 200) == 2);
  CHECK(fracture::hip_fracture_mortality_hr(7.95, 2, 1.4, 500) == 1.4);
  CHECK(fracture::hip_fracture_mortality_hr(7.95, 2, 1.4, 800) == 1);
}

TEST_CASE("falls after discharge follow Mahoney 2000", "[physiology][falls]") {
  CHECK(post_discharge_fall_hr(4.7, 90, 0) == 4.7);
  CHECK(post_discharge_fall_hr(4.7, 90, 13) == 4.7);
  CHECK(post_discharge_fall_hr(4.7, 90, 52) == Approx((4.7 + 1) / 2));
  CHECK(post_discharge_fall_hr(4.7, 90, 90) == 1);
}

TEST_CASE("stroke incidence follows Hollander 2003", "[physiology][disease]") {
  // Men: 5.7 per 1000 at 70 rising ~9 %/yr (1.7 at 55-59 to 69.8 at 95+).
  CHECK(disease::incidence(5.7, 0.09, 70) == Approx(0.0057));
  CHECK(disease::incidence(5.7, 0.09, 57) * 1000 == Approx(1.7).margin(0.3));
  CHECK(disease::incidence(5.7, 0.09, 97) * 1000 == Approx(69.8).epsilon(0.35));
}

TEST_CASE("length of stay is lognormal around its median", "[physiology][hospital]") {
  CHECK(length_of_stay(4.8, 0.6, 0) == 5);
  CHECK(length_of_stay(4.8, 0.6, -10) == 1);
  CHECK(length_of_stay(4.8, 0.6, 2) > length_of_stay(4.8, 0.6, 1));
}

TEST_CASE("activity levels from cut points", "[physiology][activity]") {
  const double cut[3] = {-0.4, 0.1, 0.4};
  CHECK(activity_level(-1, cut) == 0);
  CHECK(activity_level(0, cut) == 1);
  CHECK(activity_level(0.2, cut) == 2);
  CHECK(activity_level(2, cut) == 3);
}

TEST_CASE("sarcopenia definitions use their published cut-offs", "[physiology][sarcopenia]") {
  // EWGSOP2 (Cruz-Jentoft 2019): a man with grip 25 kg, ALMI 6.5, gait 1.0: confirmed.
  const Body man{0, 25, 6.5 * 1.75 * 1.75, 1.75, 80, 1.0};
  CHECK(sarcopenia_status(Definition::kEwgsop2, man, false) == 2);
  Body slow = man;
  slow.gait_m_s = 0.8;
  CHECK(sarcopenia_status(Definition::kEwgsop2, slow, false) == 3);  // gait <= 0.8: severe
  Body strong = man;
  strong.grip_kg = 30;
  CHECK(sarcopenia_status(Definition::kEwgsop2, strong, false) == 0);
  // AWGS 2019 (Chen 2020): grip < 28 men; gait < 1.0 is slow.
  Body awgs = man;
  awgs.grip_kg = 27.5;
  awgs.gait_m_s = 0.95;
  CHECK(sarcopenia_status(Definition::kAwgs2019, awgs, false) == 3);
  CHECK(sarcopenia_status(Definition::kEwgsop2, awgs, false) == 0);
  // FNIH (Studenski 2014): ALM/BMI < 0.789 in men. BMI 26.1 -> ALM 19.9 gives 0.762.
  const Body fnih{0, 25, 19.9, 1.75, 80, 1.2};
  CHECK(sarcopenia_status(Definition::kFnih, fnih, false) == 2);
  // Women: EWGSOP2 grip < 16, ALMI < 5.5.
  const Body woman{1, 15, 5.2 * 1.6 * 1.6, 1.6, 65, 1.0};
  CHECK(sarcopenia_status(Definition::kEwgsop2, woman, false) == 2);
}
