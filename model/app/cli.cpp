#include "cli.hpp"

#include <charconv>
#include <cmath>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/params.hpp"

namespace sarcosim::cli {

bool Args::option(const std::string& name, std::string& value) {
  if (done()) return false;
  const std::string& a = args_[pos_];
  if (a == name) {
    if (pos_ + 1 >= args_.size()) usage_error(name + ": missing value");
    value = args_[pos_ + 1];
    pos_ += 2;
    return true;
  }
  if (a.rfind(name + "=", 0) == 0) {
    value = a.substr(name.size() + 1);
    ++pos_;
    return true;
  }
  return false;
}

bool Args::flag(const std::string& name) {
  if (done() || args_[pos_] != name) return false;
  ++pos_;
  return true;
}

long long parse_integer(const std::string& arg, const std::string& text, long long min,
                        long long max) {
  long long x = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size())
    usage_error(arg + ": '" + text + "' is not a whole number; allowed [" + std::to_string(min) +
                ", " + std::to_string(max) + "]");
  if (x < min || x > max)
    usage_error(arg + ": " + text + " is outside the allowed range [" + std::to_string(min) + ", " +
                std::to_string(max) + "]");
  return x;
}

double parse_real(const std::string& arg, const std::string& text, double min, double max) {
  double x = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), x);
  if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() ||
      !std::isfinite(x))
    usage_error(arg + ": '" + text + "' is not a number; allowed [" + format_number(min) + ", " +
                format_number(max) + "]");
  if (x < min || x > max)
    usage_error(arg + ": " + text + " is outside the allowed range [" + format_number(min) + ", " +
                format_number(max) + "]");
  return x;
}

void usage_error(const std::string& message) {
  throw InputError(message);
}

}  // namespace sarcosim::cli
