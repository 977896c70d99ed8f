// Anabolic and catabolic modifiers of the age-related loss rate.
#pragma once

#include <algorithm>

namespace sarcosim::physiology {

// Protein intake and lean-mass loss (Houston 2008, AJCN 87:150): over 3 years appendicular lean
// mass fell 0.40 kg in the top intake quintile and 0.66 kg in the bottom (~1.1 vs ~0.7 g/kg/day).
// A linear multiplier 1 + g (ref - p) with g = 1.23 per g/kg/day and ref = 0.9 reproduces that
// ratio (1.65); intake above ~1.6 g/kg/day gives no further benefit (Morton 2018, BJSM).
inline double protein_loss_multiplier(double gradient, double reference, double ceiling,
                                      double protein) {
  const double p = std::clamp(protein, 0.0, ceiling);
  return std::max(0.2, 1.0 + gradient * (reference - p));
}

}  // namespace sarcosim::physiology
