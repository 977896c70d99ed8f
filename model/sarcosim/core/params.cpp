#include "sarcosim/core/params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "sarcosim/core/errors.hpp"

namespace sarcosim {

std::vector<std::string_view> ParamSpec::choice_list() const {
  std::vector<std::string_view> out;
  std::string_view rest = choices;
  while (!rest.empty()) {
    const auto bar = rest.find('|');
    out.push_back(rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return out;
}

std::string ParamSpec::range_text() const {
  switch (type) {
    case ParamType::Real:
    case ParamType::Integer:
      return "[" + format_number(min) + ", " + format_number(max) + "]";
    case ParamType::Boolean:
      return "true or false";
    case ParamType::Choice: {
      std::string s = "one of ";
      const auto list = choice_list();
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) s += ", ";
        s += list[i];
      }
      return s;
    }
    case ParamType::Path:
      return "a file path (relative to the scenario file)";
  }
  return {};
}

std::string ParamSpec::default_string() const {
  switch (type) {
    case ParamType::Real:
    case ParamType::Integer:
      return format_number(default_number);
    case ParamType::Boolean:
      return default_number != 0 ? "true" : "false";
    case ParamType::Choice:
    case ParamType::Path:
      return std::string(default_text);
  }
  return {};
}

void ParamDictionary::add(std::span<const ParamSpec> specs) {
  for (const auto& s : specs) {
    if (find(s.key)) throw std::logic_error("parameter declared twice: " + std::string(s.key));
    if (s.key.find('.') == std::string_view::npos)
      throw std::logic_error("parameter key without section: " + std::string(s.key));
    if ((s.type == ParamType::Real || s.type == ParamType::Integer) &&
        !(s.default_number >= s.min && s.default_number <= s.max))
      throw std::logic_error("default outside its range: " + std::string(s.key));
    specs_.push_back(s);
  }
}

const ParamSpec* ParamDictionary::find(std::string_view key) const {
  for (const auto& s : specs_)
    if (s.key == key) return &s;
  return nullptr;
}

std::vector<std::string_view> ParamDictionary::sections() const {
  std::vector<std::string_view> out;
  for (const auto& s : specs_)
    if (std::find(out.begin(), out.end(), s.section()) == out.end()) out.push_back(s.section());
  return out;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string ParamDictionary::nearest(std::string_view key) const {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& s : specs_) {
    const std::size_t d = edit_distance(key, s.key);
    if (d < best_d) best_d = d, best = std::string(s.key);
  }
  // Only suggest when the guess is plausibly a typo of it.
  return best_d <= std::max<std::size_t>(3, key.size() / 3) ? best : std::string();
}

ParamSet ParamSet::defaults(const ParamDictionary& dict) {
  ParamSet p;
  for (const auto& s : dict.all()) {
    ParamValue v;
    v.number = s.default_number;
    v.text = std::string(s.default_text);
    v.origin = "default";
    p.set(s.key, std::move(v));
  }
  return p;
}

const ParamValue& ParamSet::value(std::string_view key) const {
  const auto it = values_.find(key);
  if (it == values_.end())
    throw std::logic_error("parameter not in the dictionary: " + std::string(key));
  return it->second;
}
void require_below(const ParamSet& p, std::string_view lower, std::string_view upper) {
  const ParamValue &lo = p.value(lower), &hi = p.value(upper);
  if (lo.number < hi.number) return;
  throw InputError(lo.origin + ": " + std::string(lower) + " = " + format_number(lo.number) +
                   " must be below " + std::string(upper) + " = " + format_number(hi.number) +
                   " (" + hi.origin + ")");
}

double ParamSet::real(std::string_view key) const {
  return value(key).number;
}
long long ParamSet::integer(std::string_view key) const {
  return static_cast<long long>(std::llround(value(key).number));
}
bool ParamSet::boolean(std::string_view key) const {
  return value(key).number != 0;
}
const std::string& ParamSet::text(std::string_view key) const {
  return value(key).text;
}

std::string format_number(double x) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, res.ptr);
}

}  // namespace sarcosim
