// The parameter dictionary: every parameter is declared once, with its unit, default, allowed
// range and source. The scenario parser, `sarcosim params` and docs/parameters.md all read it.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sarcosim {

enum class ParamType { Real, Integer, Boolean, Choice, Path };

struct ParamSpec {
  std::string_view key;  // "section.name", e.g. "muscle.alm_loss_rate_men"
  ParamType type;
  std::string_view unit;
  double default_number = 0;  // Real, Integer, Boolean (0/1)
  double min = 0;
  double max = 0;
  std::string_view default_text = {};  // Choice, Path
  std::string_view choices = {};       // Choice: allowed values separated by '|'
  std::string_view description = {};
  std::string_view source = {};

  std::string_view section() const { return key.substr(0, key.find('.')); }
  std::string_view name() const { return key.substr(key.find('.') + 1); }
  std::vector<std::string_view> choice_list() const;
  std::string range_text() const;  // "[0, 0.1]", "one of EWGSOP2, FNIH", "true or false"
  std::string default_string() const;
};

// Builders that keep declarations short and readable.
constexpr ParamSpec real_param(std::string_view key, double def, double min, double max,
                               std::string_view unit, std::string_view description,
                               std::string_view source) {
  return {key, ParamType::Real, unit, def, min, max, {}, {}, description, source};
}
constexpr ParamSpec int_param(std::string_view key, double def, double min, double max,
                              std::string_view unit, std::string_view description,
                              std::string_view source) {
  return {key, ParamType::Integer, unit, def, min, max, {}, {}, description, source};
}
constexpr ParamSpec bool_param(std::string_view key, bool def, std::string_view description,
                               std::string_view source) {
  return {key, ParamType::Boolean, "", def ? 1.0 : 0.0, 0, 1, {}, {}, description, source};
}
constexpr ParamSpec choice_param(std::string_view key, std::string_view def,
                                 std::string_view choices, std::string_view description,
                                 std::string_view source) {
  return {key, ParamType::Choice, "", 0, 0, 0, def, choices, description, source};
}
constexpr ParamSpec path_param(std::string_view key, std::string_view def,
                               std::string_view description, std::string_view source) {
  return {key, ParamType::Path, "", 0, 0, 0, def, {}, description, source};
}

// All declared parameters, in schedule order of their sections. Keys are unique.
class ParamDictionary {
 public:
  void add(std::span<const ParamSpec> specs);
  const ParamSpec* find(std::string_view key) const;
  const std::vector<ParamSpec>& all() const { return specs_; }
  std::vector<std::string_view> sections() const;
  // The known key nearest to `key` (edit distance), for "did you mean" in errors.
  std::string nearest(std::string_view key) const;

 private:
  std::vector<ParamSpec> specs_;
};

// The dictionary of everything sarcosim knows: run settings, population, output and every module.
const ParamDictionary& dictionary();

// A value as given; numbers for Real/Integer/Boolean, text for Choice/Path.
struct ParamValue {
  double number = 0;
  std::string text;
  std::string origin;  // "scenarios/baseline.toml:12", "--set", "default"
};

// A complete, validated set of parameter values (defaults filled in).
class ParamSet {
 public:
  ParamSet() = default;
  static ParamSet defaults(const ParamDictionary& dict);

  double real(std::string_view key) const;
  long long integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  const std::string& text(std::string_view key) const;  // Choice and Path
  const ParamValue& value(std::string_view key) const;
  void set(std::string_view key, ParamValue v) { values_[std::string(key)] = std::move(v); }
  bool contains(std::string_view key) const { return values_.count(std::string(key)) > 0; }
  const std::map<std::string, ParamValue, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, ParamValue, std::less<>> values_;
};

std::string format_number(double x);  // shortest text that reads back to the same double

// Two settings that only make sense in this order (an age range, a programme's dates): throws
// InputError, naming where each was set, unless p[lower] < p[upper].
void require_below(const ParamSet& p, std::string_view lower, std::string_view upper);

}  // namespace sarcosim
