// Sarcopenia by the three consensus definitions; prevalence depends on the definition, so the
// scenario chooses one (sarcopenia.definition) and all three are recorded.
#pragma once

#include <cstdint>

namespace sarcosim::physiology {

enum class Definition : std::uint8_t { kEwgsop2, kFnih, kAwgs2019 };

struct Cutoffs {
  double grip[2];     // low strength below (men, women), kg
  double almi[2];     // low mass below, kg/m2 (EWGSOP2, AWGS 2019)
  double alm[2];      // low mass below, kg (EWGSOP2 alternative)
  double alm_bmi[2];  // low mass below, ALM/BMI (FNIH)
  double slow_gait;   // severe at or below, m/s
  const char* source;
};

// EWGSOP2: Cruz-Jentoft 2019, Age Ageing 48:16. FNIH: Studenski 2014, J Gerontol A 69:547.
// AWGS 2019: Chen 2020, JAMDA 21:300.
inline constexpr Cutoffs kEwgsop2{{27, 16}, {7.0, 5.5}, {20, 15}, {0, 0}, 0.8, "Cruz-Jentoft 2019"};
inline constexpr Cutoffs kFnih{{26, 16}, {0, 0}, {0, 0}, {0.789, 0.512}, 0.8, "Studenski 2014"};
inline constexpr Cutoffs kAwgs2019{{28, 18}, {7.0, 5.4}, {0, 0}, {0, 0}, 1.0, "Chen 2020"};

struct Body {
  int sex;
  double grip_kg, alm_kg, height_m, weight_kg, gait_m_s;
};

// 0 none, 1 probable (low strength), 2 confirmed (low strength and low mass), 3 severe (and slow).
inline std::uint8_t sarcopenia_status(Definition d, const Body& b, bool ewgsop2_absolute_alm) {
  const Cutoffs& c = d == Definition::kEwgsop2 ? kEwgsop2
                     : d == Definition::kFnih  ? kFnih
                                               : kAwgs2019;
  const int s = b.sex;
  if (!(b.grip_kg < c.grip[s])) return 0;
  bool low_mass;
  if (d == Definition::kFnih) {
    const double bmi = b.weight_kg / (b.height_m * b.height_m);
    low_mass = b.alm_kg / bmi < c.alm_bmi[s];
  } else if (d == Definition::kEwgsop2 && ewgsop2_absolute_alm) {
    low_mass = b.alm_kg < c.alm[s];
  } else {
    low_mass = b.alm_kg / (b.height_m * b.height_m) < c.almi[s];
  }
  if (!low_mass) return 1;
  const bool slow =
      d == Definition::kAwgs2019 ? b.gait_m_s < c.slow_gait : b.gait_m_s <= c.slow_gait;
  return slow ? 3 : 2;
}

}  // namespace sarcosim::physiology
