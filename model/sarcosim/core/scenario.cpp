#include "sarcosim/core/scenario.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "sarcosim/core/errors.hpp"

namespace sarcosim {
namespace fs = std::filesystem;

namespace {

std::string where(const std::string& file, const toml::source_region& src) {
  return file + ":" + std::to_string(src.begin.line);
}

std::string out_of_range(const ParamSpec& spec, const std::string& shown) {
  std::string msg =
      std::string(spec.key) + " = " + shown + " is outside the allowed range " + spec.range_text();
  if (!spec.unit.empty()) msg += " (" + std::string(spec.unit) + ")";
  return msg;
}

// Checks a number against the spec's type and range; returns an error text or "".
std::string check_number(const ParamSpec& spec, double x, const std::string& shown) {
  if (!std::isfinite(x)) return std::string(spec.key) + " = " + shown + " is not a finite number";
  if (spec.type == ParamType::Integer && x != std::floor(x))
    return std::string(spec.key) + " = " + shown + " must be a whole number in " +
           spec.range_text();
  if (x < spec.min || x > spec.max) return out_of_range(spec, shown);
  return {};
}

std::string check_choice(const ParamSpec& spec, const std::string& s) {
  for (auto c : spec.choice_list())
    if (c == s) return {};
  return std::string(spec.key) + " = \"" + s + "\" is not allowed: use " + spec.range_text();
}

constexpr const char* kNameRule =
    "use letters, digits, '_', '-' and '.', not starting with '.' (it names the output and "
    "checkpoint files)";

// The characters a scenario name may hold (is_valid_scenario_name).
bool allowed_in_name(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '-' || c == '.';
}

// Without a `name`, the file's stem, made a valid name ("my run.toml" -> "my_run"), so that the
// resolved scenario a checkpoint keeps parses again on --resume.
std::string name_from_file(const fs::path& file) {
  std::string name = file.stem().string();
  for (char& c : name)
    if (!allowed_in_name(static_cast<unsigned char>(c))) c = '_';
  if (!name.empty() && name.front() == '.') name.front() = '_';
  return name;
}

fs::path resolve_path(const fs::path& relative_to_dir, const std::string& p) {
  if (p.empty()) return {};
  const fs::path path(p);
  return path.is_absolute() ? path : (relative_to_dir / path).lexically_normal();
}

// Converts one TOML value into a ParamValue for `spec`; throws InputError at `loc`.
ParamValue convert(const ParamSpec& spec, const toml::node& node, const std::string& loc,
                   const fs::path& dir) {
  ParamValue v;
  v.origin = loc;
  auto fail = [&](const std::string& msg) { throw InputError(loc + ": " + msg); };
  auto wrong_type = [&](const std::string& expected) {
    const std::string range = spec.range_text();  // a boolean's is "true or false" again
    fail("wrong type for " + std::string(spec.key) + ": expected " + expected +
         (range == expected ? "" : " in " + range));
  };
  switch (spec.type) {
    case ParamType::Real: {
      if (auto i = node.as_integer())
        v.number = static_cast<double>(i->get());
      else if (auto f = node.as_floating_point())
        v.number = f->get();
      else
        wrong_type("a number");
      if (auto e = check_number(spec, v.number, format_number(v.number)); !e.empty()) fail(e);
      break;
    }
    case ParamType::Integer: {
      if (auto i = node.as_integer())
        v.number = static_cast<double>(i->get());
      else
        wrong_type("a whole number");
      if (auto e = check_number(spec, v.number, format_number(v.number)); !e.empty()) fail(e);
      break;
    }
    case ParamType::Boolean: {
      if (auto b = node.as_boolean())
        v.number = b->get() ? 1 : 0;
      else
        wrong_type("true or false");
      break;
    }
    case ParamType::Choice: {
      if (auto s = node.as_string())
        v.text = s->get();
      else
        wrong_type("a quoted string");
      if (auto e = check_choice(spec, v.text); !e.empty()) fail(e);
      break;
    }
    case ParamType::Path: {
      // Absolute, so that the resolved scenario a checkpoint or result file keeps names the
      // same file from any working directory (a resumed run reads what the first run read).
      if (auto s = node.as_string())
        v.text =
            s->get().empty() ? std::string() : fs::absolute(resolve_path(dir, s->get())).string();
      else
        wrong_type("a quoted file path");
      break;
    }
  }
  return v;
}

struct Loader {
  const ParamDictionary& dict;
  Scenario sc;
  std::set<fs::path> visiting;
  // A scenario file's name will name output and checkpoint files, so it is checked; the resolved
  // scenario a result file keeps is not (a sweep's runs are named "sweep/run_3").
  bool check_name = true;

  void load_table(const toml::table& root, const std::string& display, const fs::path& dir) {
    // `base` first, so that this file's values override the base's.
    if (auto base = root.get("base")) {
      const auto s = base->as_string();
      if (!s) throw InputError(where(display, base->source()) + ": base must be a quoted path");
      load_file(resolve_path(dir, s->get()), where(display, base->source()));
    }
    for (const auto& [k, node] : root) {
      const std::string key(k.str());
      if (key == "base") continue;
      if (key == "name" || key == "description") {
        const auto s = node.as_string();
        if (!s) throw InputError(where(display, node.source()) + ": " + key + " must be a string");
        if (key == "name" && check_name && !is_valid_scenario_name(s->get()))
          throw InputError(where(display, node.source()) + ": name = \"" + s->get() +
                           "\" is not allowed: " + kNameRule);
        (key == "name" ? sc.name : sc.description) = s->get();
        continue;
      }
      const auto table = node.as_table();
      if (!table) {
        const std::string near = dict.nearest(key);
        throw InputError(where(display, node.source()) + ": unknown top-level key '" + key +
                         "': only base, name, description and [section] tables are allowed" +
                         (near.empty() ? "" : " (did you mean '" + near + "'?)"));
      }
      for (const auto& [pk, pnode] : *table) {
        const std::string full = key + "." + std::string(pk.str());
        const ParamSpec* spec = dict.find(full);
        const std::string loc = where(display, pnode.source());
        if (!spec) {
          const std::string near = dict.nearest(full);
          throw InputError(loc + ": unknown key '" + full + "'" +
                           (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                           "; `sarcosim params` lists every key");
        }
        sc.params.set(full, convert(*spec, pnode, loc, dir));
      }
    }
  }

  void load_file(const fs::path& path, const std::string& referrer) {
    const std::string display = path.string();
    const std::string from = referrer.empty() ? std::string() : referrer + ": ";
    // The error-code forms: a name the system refuses (too long, say) is bad input, not a crash.
    std::error_code error;
    if (!fs::exists(path, error))
      throw InputError(from + (error
                                   ? "cannot read scenario file " + display + ": " + error.message()
                                   : "scenario file not found: " + display));
    // A directory or a device (/dev/zero) would read as an empty scenario: all defaults.
    if (!fs::is_regular_file(path, error))
      throw InputError(from + display + ": not a regular file; give a scenario .toml file");
    const fs::path canonical = fs::weakly_canonical(path, error);
    if (error)
      throw InputError(from + "cannot read scenario file " + display + ": " + error.message());
    if (!visiting.insert(canonical).second)
      throw InputError(referrer + ": base chain loops back to " + display);
    toml::table root;
    try {
      root = toml::parse_file(display);
    } catch (const toml::parse_error& e) {
      throw InputError(display + ":" + std::to_string(e.source().begin.line) +
                       ": TOML syntax error: " + std::string(e.description()));
    }
    load_table(root, display, path.parent_path());
    sc.chain.push_back(path);
    visiting.erase(canonical);
  }
};

void apply_overrides(ParamSet& params, const std::vector<std::string>& overrides,
                     const ParamDictionary& dict) {
  for (const auto& o : overrides)
    apply_override(params, o, dict);
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool is_valid_scenario_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return allowed_in_name(static_cast<unsigned char>(c)); });
}

void apply_override(ParamSet& params, const std::string& assignment, const ParamDictionary& dict) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos)
    throw InputError("--set " + assignment + ": expected section.key=value");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const ParamSpec* spec = dict.find(key);
  if (!spec) {
    const std::string near = dict.nearest(key);
    throw InputError("--set: unknown key '" + key + "'" +
                     (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                     "; `sarcosim params` lists every key");
  }
  ParamValue v;
  v.origin = "--set";
  auto fail = [&](const std::string& msg) { throw InputError("--set: " + msg); };
  switch (spec->type) {
    case ParamType::Real:
    case ParamType::Integer: {
      double x = 0;
      const auto res = std::from_chars(text.data(), text.data() + text.size(), x);
      if (res.ec != std::errc() || res.ptr != text.data() + text.size())
        fail(key + " = '" + text + "' is not a number; allowed " + spec->range_text());
      if (auto e = check_number(*spec, x, text); !e.empty()) fail(e);
      v.number = x;
      break;
    }
    case ParamType::Boolean:
      if (text == "true")
        v.number = 1;
      else if (text == "false")
        v.number = 0;
      else
        fail(key + " = '" + text + "': use true or false");
      break;
    case ParamType::Choice:
      if (auto e = check_choice(*spec, text); !e.empty()) fail(e);
      v.text = text;
      break;
    case ParamType::Path:
      v.text = text.empty() ? text : fs::absolute(text).lexically_normal().string();
      break;
  }
  params.set(key, std::move(v));
}

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides,
                       const ParamDictionary& dict) {
  Loader loader{dict, {}, {}};
  loader.sc.params = ParamSet::defaults(dict);
  loader.load_file(file, "");
  loader.sc.file = file;
  if (loader.sc.name.empty()) loader.sc.name = name_from_file(file);
  apply_overrides(loader.sc.params, overrides, dict);
  return std::move(loader.sc);
}

Scenario parse_scenario_text(const std::string& text, const std::string& name,
                             const std::vector<std::string>& overrides,
                             const ParamDictionary& dict) {
  Loader loader{dict, {}, {}, false};
  loader.sc.params = ParamSet::defaults(dict);
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw InputError(name + ":" + std::to_string(e.source().begin.line) +
                     ": TOML syntax error: " + std::string(e.description()));
  }
  loader.load_table(root, name, fs::current_path());
  loader.sc.file = name;
  if (loader.sc.name.empty()) loader.sc.name = name;
  apply_overrides(loader.sc.params, overrides, dict);
  return std::move(loader.sc);
}

std::string Scenario::resolved_toml() const {
  const auto& dict = dictionary();
  std::ostringstream out;
  out << "# Resolved scenario: every parameter, defaults included.\n";
  out << "name = " << quote(name) << "\n";
  if (!description.empty()) out << "description = " << quote(description) << "\n";
  for (auto section : dict.sections()) {
    out << "\n[" << section << "]\n";
    for (const auto& spec : dict.all()) {
      if (spec.section() != section) continue;
      const auto& v = params.value(spec.key);
      out << spec.name() << " = ";
      switch (spec.type) {
        case ParamType::Real: {
          std::string n = format_number(v.number);
          if (n.find_first_of(".eEn") == std::string::npos) n += ".0";
          out << n;
          break;
        }
        case ParamType::Integer:  // in full: the shortest form of 1000000 is 1e+06, a float
          out << static_cast<long long>(v.number);
          break;
        case ParamType::Boolean:
          out << (v.number != 0 ? "true" : "false");
          break;
        case ParamType::Choice:
        case ParamType::Path:
          out << quote(v.text);
          break;
      }
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace sarcosim
