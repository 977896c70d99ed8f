#include "sarcosim/sweep/plan.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <map>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/recording.hpp"
#include "sarcosim/core/rng.hpp"
#include "sarcosim/core/scenario.hpp"

namespace sarcosim {
namespace fs = std::filesystem;

std::string SweepRun::value_of(const std::string& key) const {
  for (const auto& [k, v] : values)
    if (k == key) return v;
  return {};
}

std::vector<std::string> SweepPlan::assignments(const SweepRun& run) const {
  std::vector<std::string> out = overrides;
  for (const auto& [k, v] : run.values)
    out.push_back(k + "=" + v);
  return out;
}

double SweepPlan::agent_days() const {
  const Scenario sc = load_scenario(base, overrides);
  return static_cast<double>(runs.size()) * replicates *
         static_cast<double>(sc.params.integer("run.agents")) * sc.params.real("run.years") *
         365.25;
}

namespace {

std::string where(const fs::path& f, const toml::node& n) {
  return f.string() + ":" + std::to_string(n.source().begin.line);
}

std::string value_text(const toml::node& n, const std::string& loc) {
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto d = n.as_floating_point()) return format_number(d->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  if (auto s = n.as_string()) return s->get();
  throw InputError(loc + ": a parameter value must be a number, true/false or a string");
}

const ParamSpec& known(const std::string& key, const std::string& loc) {
  const ParamSpec* spec = dictionary().find(key);
  if (!spec) {
    const std::string near = dictionary().nearest(key);
    throw InputError(loc + ": unknown parameter '" + key + "'" +
                     (near.empty() ? "" : " (did you mean '" + near + "'?)"));
  }
  return *spec;
}

// A sampled parameter: {min = a, max = b} within the dictionary's range.
std::pair<double, double> range_of(const ParamSpec& spec, const toml::node& n,
                                   const std::string& loc) {
  const auto* t = n.as_table();
  if (!t || !t->get("min") || !t->get("max"))
    throw InputError(loc + ": " + std::string(spec.key) +
                     " needs {min = ..., max = ...} for a sampled sweep");
  for (const auto& [k, v] : *t)
    if (k.str() != "min" && k.str() != "max")
      throw InputError(loc + ": unknown key '" + std::string(k.str()) + "' in " +
                       std::string(spec.key) + " (allowed: min, max)");
  const auto lo = t->get("min")->value<double>(), hi = t->get("max")->value<double>();
  if (!lo || !hi)
    throw InputError(loc + ": min and max of " + std::string(spec.key) + " must be numbers");
  if (!(*lo < *hi))
    throw InputError(loc + ": " + std::string(spec.key) + ": min must be below max");
  if (spec.type != ParamType::Real && spec.type != ParamType::Integer)
    throw InputError(loc + ": " + std::string(spec.key) + " is not numeric and cannot be sampled");
  if (*lo < spec.min || *hi > spec.max)
    throw InputError(loc + ": " + std::string(spec.key) + " range [" + format_number(*lo) + ", " +
                     format_number(*hi) + "] is outside the allowed " + spec.range_text());
  return {*lo, *hi};
}

std::string sampled_value(const ParamSpec& spec, double lo, double hi, double u) {
  const double x = lo + u * (hi - lo);
  return spec.type == ParamType::Integer ? std::to_string(std::llround(x)) : format_number(x);
}

constexpr int kMostRuns = 1000000;  // a sweep's runs, each checked and listed up front

// What a method does not read is refused rather than ignored: a [[run]] table in a grid, say, is
// a sweep that would not do what its file says.
void reject_unused(const fs::path& file, const toml::table& root, const std::string& method) {
  const bool list = method == "list", sampled = method == "lhs" || method == "sobol";
  auto refuse = [&](const char* key, const char* use) {
    if (const toml::node* n = root.get(key))
      throw InputError(where(file, *n) + ": " + use + ", not with method = \"" + method + "\"");
  };
  if (!list) refuse("run", "[[run]] tables are for method = \"list\"");
  if (list) refuse("parameters", "[parameters] are for grid, lhs and sobol sweeps");
  if (!sampled) {
    refuse("samples", "samples is for method = \"lhs\" or \"sobol\"");
    refuse("seed", "seed is for method = \"lhs\" or \"sobol\"");
  }
}

}  // namespace

SweepPlan load_sweep(const fs::path& file, const SweepSizes& sizes) {
  if (!fs::exists(file)) throw InputError("sweep file not found: " + file.string());
  if (!fs::is_regular_file(file))
    throw InputError(file.string() + ": not a regular file; give a sweep .toml file");
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    throw InputError(file.string() + ":" + std::to_string(e.source().begin.line) +
                     ": TOML syntax error: " + std::string(e.description()));
  }
  SweepPlan plan;
  plan.file = file;
  plan.name = file.stem().string();
  for (const auto& [k, node] : root) {
    const std::string key(k.str());
    const std::string loc = where(file, node);
    if (key == "base") {
      const auto s = node.as_string();
      if (!s) throw InputError(loc + ": base must be a quoted path to a scenario");
      plan.base = (file.parent_path() / s->get()).lexically_normal();
    } else if (key == "name") {
      plan.name = node.value<std::string>().value_or(plan.name);
    } else if (key == "replicates" || key == "agents" || key == "years" || key == "method" ||
               key == "samples" || key == "seed") {
      // read below
    } else if (key == "parameters" || key == "fixed" || key == "run") {
    } else {
      throw InputError(loc + ": unknown key '" + key +
                       "' (allowed: base, name, method, samples, seed, replicates, agents, years, "
                       "[fixed], [parameters], [[run]])");
    }
  }
  if (plan.base.empty()) throw InputError(file.string() + ": missing base = \"scenario.toml\"");
  if (!fs::exists(plan.base))
    throw InputError(file.string() + ": base scenario not found: " + plan.base.string());
  if (!fs::is_regular_file(plan.base))
    throw InputError(file.string() + ": base " + plan.base.string() +
                     ": not a regular file; give a scenario .toml file");

  auto integer = [&](const char* key, long long def, long long lo, long long hi) {
    const toml::node* n = root.get(key);
    if (!n) return def;
    const auto v = n->value<long long>();
    if (!v || *v < lo || *v > hi)
      throw InputError(where(file, *n) + ": " + key + " must be a whole number in [" +
                       std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return *v;
  };
  plan.replicates =
      static_cast<int>(sizes.replicates ? sizes.replicates : integer("replicates", 1, 1, 10000));
  if (const long long a = sizes.agents ? sizes.agents : integer("agents", 0, 1, 2000000000))
    plan.overrides.push_back("run.agents=" + std::to_string(a));
  if (sizes.years > 0) {
    plan.overrides.push_back("run.years=" + format_number(sizes.years));
  } else if (const toml::node* y = root.get("years")) {
    const auto v = y->value<double>();
    if (!v || *v <= 0 || *v > kMaxRunYears)
      throw InputError(where(file, *y) + ": years must be a number in (0, " +
                       format_number(kMaxRunYears) + "]");
    plan.overrides.push_back("run.years=" + format_number(*v));
  }
  if (const auto* fixed = root["fixed"].as_table())
    for (const auto& [k, n] : *fixed) {
      const std::string loc = where(file, n);
      known(std::string(k.str()), loc);
      plan.overrides.push_back(std::string(k.str()) + "=" + value_text(n, loc));
    }

  plan.method = root["method"].value<std::string>().value_or("grid");
  const auto* params = root["parameters"].as_table();
  reject_unused(file, root, plan.method);
  if (plan.method == "list") {
    const auto* runs = root["run"].as_array();
    if (!runs || runs->empty())
      throw InputError(file.string() + ": method = \"list\" needs [[run]] tables");
    std::vector<std::string> keys;
    for (const auto& r : *runs) {
      const auto* t = r.as_table();
      if (!t)
        throw InputError(where(file, r) + ": each [[run]] must be a table of parameter = value");
      SweepRun run{static_cast<int>(plan.runs.size()), {}};
      for (const auto& [k, n] : *t) {
        const std::string key(k.str());
        known(key, where(file, n));
        run.values.push_back({key, value_text(n, where(file, n))});
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
      }
      plan.runs.push_back(std::move(run));
    }
    plan.parameters = keys;
  } else if (plan.method == "grid") {
    if (!params || params->empty())
      throw InputError(file.string() + ": a grid needs [parameters] with lists of values");
    std::vector<std::vector<std::string>> levels;
    for (const auto& [k, n] : *params) {
      const std::string key(k.str()), loc = where(file, n);
      known(key, loc);
      const auto* arr = n.as_array();
      if (!arr || arr->empty())
        throw InputError(loc + ": " + key + " needs a list of values, e.g. [0.1, 0.2]");
      plan.parameters.push_back(key);
      levels.emplace_back();
      for (const auto& v : *arr)
        levels.back().push_back(value_text(v, loc));
    }
    double runs = 1;
    for (const auto& l : levels)
      runs *= static_cast<double>(l.size());
    if (runs > kMostRuns)
      throw InputError(file.string() + ": the grid has " + format_number(runs) +
                       " runs (the product of the parameters' numbers of values); at most " +
                       format_number(kMostRuns));
    std::vector<std::size_t> at(levels.size(), 0);
    while (true) {
      SweepRun run{static_cast<int>(plan.runs.size()), {}};
      for (std::size_t p = 0; p < levels.size(); ++p)
        run.values.push_back({plan.parameters[p], levels[p][at[p]]});
      plan.runs.push_back(std::move(run));
      std::size_t p = levels.size();
      while (p > 0 && ++at[p - 1] == levels[p - 1].size())
        at[--p] = 0;
      if (p == 0) break;
    }
  } else if (plan.method == "lhs" || plan.method == "sobol") {
    if (!params || params->empty())
      throw InputError(file.string() + ": a sampled sweep needs [parameters] with {min, max}");
    const int samples = static_cast<int>(integer("samples", 0, 1, kMostRuns));
    if (samples == 0)
      throw InputError(file.string() + ": method = \"" + plan.method + "\" needs samples = N");
    const auto seed = static_cast<std::uint64_t>(integer("seed", 1, 0, 9007199254740992LL));
    std::vector<const ParamSpec*> specs;
    std::vector<std::pair<double, double>> ranges;
    for (const auto& [k, n] : *params) {
      const std::string key(k.str()), loc = where(file, n);
      specs.push_back(&known(key, loc));
      ranges.push_back(range_of(*specs.back(), n, loc));
      plan.parameters.push_back(key);
    }
    const std::size_t d = specs.size();
    std::vector<std::vector<double>> u(static_cast<std::size_t>(samples), std::vector<double>(d));
    if (plan.method == "sobol") {
      boost::random::sobol engine(static_cast<unsigned>(d));
      for (auto& row : u)
        for (auto& x : row)
          x = (static_cast<double>(engine()) + 0.5) / (static_cast<double>(engine.max()) + 1.0);
    } else {
      // Latin hypercube: each parameter's range cut into `samples` strata, each used once, in an
      // order shuffled by keyed random numbers (reproducible from the sweep's seed).
      const Rng rng(seed);
      for (std::size_t p = 0; p < d; ++p) {
        std::vector<std::pair<double, int>> order;
        for (int s = 0; s < samples; ++s)
          order.push_back({rng.uniform(stream("sweep.lhs.order"), static_cast<std::uint32_t>(s),
                                       static_cast<std::int32_t>(p)),
                           s});
        std::sort(order.begin(), order.end());
        for (int s = 0; s < samples; ++s)
          u[static_cast<std::size_t>(s)][p] =
              (order[static_cast<std::size_t>(s)].second +
               rng.uniform(stream("sweep.lhs.jitter"), static_cast<std::uint32_t>(s),
                           static_cast<std::int32_t>(p))) /
              samples;
      }
    }
    for (int s = 0; s < samples; ++s) {
      SweepRun run{s, {}};
      for (std::size_t p = 0; p < d; ++p)
        run.values.push_back(
            {plan.parameters[p], sampled_value(*specs[p], ranges[p].first, ranges[p].second,
                                               u[static_cast<std::size_t>(s)][p])});
      plan.runs.push_back(std::move(run));
    }
  } else {
    throw InputError(where(file, *root.get("method")) +
                     ": method must be one of list, grid, lhs, sobol");
  }
  // Every run's values must be valid now, not after hours on a cluster. A value out of its range
  // is a malformed sweep file.
  const Scenario base = load_scenario(plan.base, {});  // read once, copied for each run
  for (const SweepRun& run : plan.runs) {
    Scenario sc = base;
    for (const auto& a : plan.assignments(run)) {
      try {
        apply_override(sc.params, a);
      } catch (const InputError& e) {
        throw InputError(file.string() + ": run " + std::to_string(run.index) + ": " + e.what());
      }
    }
  }
  return plan;
}

}  // namespace sarcosim
