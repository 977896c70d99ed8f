#include "sarcosim/core/recording.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>

namespace sarcosim {

std::vector<std::string> AgeBands::labels() {
  std::vector<std::string> out{"<50"};
  for (int b = 1; b < kCount - 1; ++b) {
    const int lo = 50 + 5 * (b - 1);
    out.push_back(std::to_string(lo) + "-" + std::to_string(lo + 4));
  }
  out.push_back(std::to_string(50 + 5 * (kCount - 2)) + "+");
  return out;
}

Registry::Registry() {
  causes_.push_back("alive");
  cause_series_.push_back(-1);
  alive =
      add_series({"alive", "people", "people alive at the end of the period", SeriesKind::Level});
  deaths = add_series({"deaths", "deaths", "deaths in the period, all causes", SeriesKind::Count});
  person_years =
      add_series({"person_years", "years",
                  "person-time lived in the period (the denominator of rates)", SeriesKind::Count});
  death_event = add_event_type({"death", "cause index into /events/death_causes"});
}

SeriesId Registry::add_series(SeriesSpec spec) {
  if (find_series(spec.name) >= 0) throw std::logic_error("series declared twice: " + spec.name);
  series_.push_back(std::move(spec));
  return static_cast<SeriesId>(series_.size() - 1);
}

EventTypeId Registry::add_event_type(EventTypeSpec spec) {
  for (const auto& e : events_)
    if (e.name == spec.name) throw std::logic_error("event type declared twice: " + spec.name);
  events_.push_back(std::move(spec));
  return static_cast<EventTypeId>(events_.size() - 1);
}

std::uint8_t Registry::add_death_cause(const std::string& name, const std::string& description) {
  if (causes_.size() >= 255) throw std::logic_error("too many death causes");
  causes_.push_back(name);
  cause_series_.push_back(add_series(
      {"deaths_" + name, "deaths", "deaths in the period: " + description, SeriesKind::Count}));
  return static_cast<std::uint8_t>(causes_.size() - 1);
}

SeriesId Registry::find_series(const std::string& name) const {
  for (std::size_t i = 0; i < series_.size(); ++i)
    if (series_[i].name == name) return static_cast<SeriesId>(i);
  return -1;
}

void Tally::begin(std::size_t n_series, std::vector<double>& work) {
  n_series_ = n_series;
  work.assign(n_series * 2 * AgeBands::kCount, 0.0);
  work_ = work.data();
}

void Tally::keep() {
  if (!work_) throw std::logic_error("Tally::keep without begin");
  const std::size_t rows = n_series_ * 2;
  lo_ = AgeBands::kCount;
  hi_ = -1;
  for (std::size_t row = 0; row < rows; ++row)
    for (int band = 0; band < AgeBands::kCount; ++band)
      if (std::bit_cast<std::uint64_t>(work_[row * AgeBands::kCount + band]) != 0) {
        lo_ = std::min(lo_, band);
        hi_ = std::max(hi_, band);
      }
  if (hi_ < lo_) {  // nothing tallied
    lo_ = 0;
    hi_ = -1;
  }
  const std::size_t w = width();
  kept_.resize(rows * w);
  for (std::size_t row = 0; row < rows; ++row)
    std::copy_n(work_ + row * AgeBands::kCount + lo_, w, kept_.begin() + row * w);
  work_ = nullptr;
}

void Tally::add_to(double* period, SeriesId first, SeriesId last) const {
  const std::size_t w = width();
  for (auto row = static_cast<std::size_t>(first) * 2; row < static_cast<std::size_t>(last) * 2;
       ++row) {
    const double* v = kept_.data() + row * w;
    double* dst = period + row * AgeBands::kCount + lo_;
    for (std::size_t k = 0; k < w; ++k)
      dst[k] += v[k];
  }
}

double Tally::at(SeriesId s, int sex, int band) const {
  if (band < lo_ || band > hi_) return 0;
  return kept_[row(s, sex) * width() + static_cast<std::size_t>(band - lo_)];
}

}  // namespace sarcosim
