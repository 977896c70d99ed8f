// A function of age tabulated at every whole day of age, 0-130 years (380 KB for a double). Ages
// are whole days (core/population.hpp: age_years), so the table holds exactly the double that
// computing f(age) would give, and a hazard needs a load instead of an exp() every time it is asked
// for (per person and period, and per busy day). Unlike AgeTable (0.1-year steps), results do not
// change. Ages outside the table are computed.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sarcosim/core/population.hpp"

namespace sarcosim {

template <class T>
class BasicDayOfAgeTable {
 public:
  static constexpr std::int32_t kDays = 130 * 366;
  explicit BasicDayOfAgeTable(std::function<T(double)> f) : f_(std::move(f)), values_(kDays) {
    for (std::int32_t d = 0; d < kDays; ++d)
      values_[static_cast<std::size_t>(d)] = f_(age_years(d, 0));
  }
  // f(age_years(day, birth_day)).
  T operator()(std::int32_t day, std::int32_t birth_day) const {
    const std::int32_t d = day - birth_day;
    if (d >= 0 && d < kDays) [[likely]]
      return values_[static_cast<std::size_t>(d)];
    return f_(age_years(day, birth_day));
  }

 private:
  std::function<T(double)> f_;
  std::vector<T> values_;
};

using DayOfAgeTable = BasicDayOfAgeTable<double>;

}  // namespace sarcosim
