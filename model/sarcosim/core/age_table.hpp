// A function of age tabulated at 0.1-year steps (0-121 years), so that a smooth age-dependent rate
// costs a table lookup per agent-day instead of an exp() or log(). The step (36.5 days) is far
// finer than any source's age resolution.
#pragma once

#include <algorithm>
#include <vector>

namespace sarcosim {

class AgeTable {
 public:
  static constexpr int kPerYear = 10;
  static constexpr int kSize = 122 * kPerYear;
  AgeTable() = default;
  template <class F>
  explicit AgeTable(F f) : values_(kSize) {
    for (int k = 0; k < kSize; ++k)
      values_[k] = f((k + 0.5) / kPerYear);  // the step's midpoint
  }
  double operator()(double age) const {
    const int k = static_cast<int>(age * kPerYear);
    return values_[static_cast<std::size_t>(std::clamp(k, 0, kSize - 1))];
  }

 private:
  std::vector<double> values_;
};

}  // namespace sarcosim
