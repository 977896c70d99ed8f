#include "sarcosim/analysis/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/scenario.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim {
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct SeriesReader {
  const h5::Group& g;
  std::size_t R, P, cells;  // cells = 2 * bands
  std::vector<double> read(const std::string& name) const {
    std::vector<hsize_t> dims;
    auto v = g.read_doubles(name, &dims);
    if (dims.size() != 4 || dims[0] != R || dims[1] != P)
      throw IoError(g.where() + "/" + name +
                    ": unexpected shape (not a sarcosim result of this version?)");
    return v;
  }
  // Sum over periods, sexes and bands, per replicate, each period weighted.
  std::vector<double> total(const std::string& name, const std::vector<double>& weight) const {
    const auto v = read(name);
    std::vector<double> out(R, 0.0);
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t p = 0; p < P; ++p)
        for (std::size_t c = 0; c < cells; ++c)
          out[r] += v[(r * P + p) * cells + c] * weight[p];
    return out;
  }
  // Share of the living in a state at the end of the last period, per replicate.
  std::vector<double> share_at_end(const std::string& name) const {
    const auto v = read(name), alive = read("alive");
    std::vector<double> out(R, 0.0);
    for (std::size_t r = 0; r < R; ++r) {
      double x = 0, n = 0;
      for (std::size_t c = 0; c < cells; ++c) {
        x += v[(r * P + P - 1) * cells + c];
        n += alive[(r * P + P - 1) * cells + c];
      }
      out[r] = n > 0 ? 100 * x / n : kNaN;
    }
    return out;
  }
};

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s / static_cast<double>(v.size());
}

}  // namespace

namespace {
ScenarioOutcomes read_outcomes_unchecked(const fs::path& file);
}

ScenarioOutcomes read_outcomes(const fs::path& file) {
  (void)read_result_info(file);  // refuses files that are not sarcosim results, with the reason
  check_hdf5_survives(file, [&] { (void)read_outcomes_unchecked(file); });
  return read_outcomes_unchecked(file);
}

namespace {
ScenarioOutcomes read_outcomes_unchecked(const fs::path& file) {
  const h5::File f = h5::File::open_read(file.string());
  const h5::Group root = f.root(), meta = root.open_group("metadata"),
                  series = root.open_group("series");
  ScenarioOutcomes o;
  o.file = file;
  o.scenario = meta.attr_string("scenario_name").value_or("?");
  o.version = meta.attr_string("version").value_or("?");
  o.agents = static_cast<std::size_t>(meta.attr_number("agents").value_or(0));
  o.replicates = static_cast<std::size_t>(meta.attr_number("replicates").value_or(1));
  o.years = meta.attr_number("years").value_or(0);
  if (meta.has("replicate_seeds")) o.seeds = meta.read_doubles("replicate_seeds");
  // The discount rate is the scenario's own, read from the resolved scenario the file carries.
  o.discount_rate = parse_scenario_text(meta.read_text("scenario_toml"), file.string())
                        .params.real("economics.discount_rate");

  std::vector<hsize_t> dims;
  const auto start = series.read_doubles("period_start_day", &dims);
  const auto end = series.read_doubles("period_end_day");
  const std::size_t P = dims[0];
  std::vector<double> ones(P, 1.0), discount(P);
  for (std::size_t p = 0; p < P; ++p)
    discount[p] = std::pow(1 + o.discount_rate, -0.5 * (start[p] + end[p]) / 365.25);
  const SeriesReader s{series, o.replicates, P, 2 * 12};
  const auto names = series.children();
  using Kind = ScenarioOutcomes::Outcome::Kind;
  auto add = [&](std::string name, std::string unit, std::string what, Kind kind,
                 std::vector<double> v) {
    o.outcomes.push_back({std::move(name), std::move(unit), std::move(what), kind, std::move(v)});
  };
  auto sum_of = [&](const std::string& prefix, const std::vector<double>& w) {
    std::vector<double> t(o.replicates, 0.0);
    for (const auto& n : names)
      if (n.rfind(prefix, 0) == 0) {
        const auto v = s.total(n, w);
        for (std::size_t r = 0; r < t.size(); ++r)
          t[r] += v[r];
      }
    return t;
  };
  add("sarcopenia_prevalence_end", "%", "sarcopenia at the end (scenario's definition)",
      Kind::Share, s.share_at_end("sarcopenia"));
  add("severe_sarcopenia_prevalence_end", "%", "severe sarcopenia at the end", Kind::Share,
      s.share_at_end("severe_sarcopenia"));
  add("falls", "falls", "falls", Kind::Events, s.total("falls", ones));
  for (const char* site : {"hip", "wrist", "vertebral", "humerus", "other"})
    add(std::string("fractures_") + site, "fractures", std::string(site) + " fractures",
        Kind::Events, s.total(std::string("fractures_") + site, ones));
  add("fractures_all", "fractures", "all fractures", Kind::Events, sum_of("fractures_", ones));
  add("hospital_admissions", "stays", "hospital admissions", Kind::Events,
      sum_of("admissions_", ones));
  add("hospital_bed_days", "days", "days in hospital", Kind::Events, s.total("bed_days", ones));
  add("deaths", "deaths", "deaths", Kind::Events, s.total("deaths", ones));
  add("life_years", "years", "person-years lived", Kind::Total, s.total("person_years", ones));
  add("qalys_discounted", "QALY", "quality-adjusted life-years, discounted", Kind::Total,
      s.total("qalys", discount));
  add("costs_discounted", "USD2020", "all costs (care and interventions), discounted", Kind::Total,
      sum_of("cost_", discount));
  // A programme's cost series is cost_<name>, beside its enrolments_<name>.
  std::vector<double> programmes(o.replicates, 0.0);
  for (const auto& n : names)
    if (n.rfind("enrolments_", 0) == 0) {
      const auto v = s.total("cost_" + n.substr(11), discount);
      for (std::size_t r = 0; r < programmes.size(); ++r)
        programmes[r] += v[r];
    }
  add("intervention_costs_discounted", "USD2020", "costs of interventions, discounted", Kind::Total,
      programmes);
  o.enrolled_people = sum_of("enrolments_", ones);
  return o;
}

}  // namespace

namespace {

// Replaces every label that more than one run has by what `rename` makes of that run.
template <class Rename>
void rename_repeated(std::vector<std::string>& labels, const std::vector<ScenarioOutcomes>& runs,
                     Rename rename) {
  std::map<std::string, int> uses;
  for (const auto& label : labels)
    ++uses[label];
  for (std::size_t k = 0; k < runs.size(); ++k)
    if (uses[labels[k]] > 1) labels[k] = rename(runs[k]);
}

}  // namespace

std::vector<std::string> run_labels(const std::vector<ScenarioOutcomes>& runs) {
  std::vector<std::string> labels;
  for (const auto& run : runs)
    labels.push_back(run.scenario);
  rename_repeated(labels, runs, [](const ScenarioOutcomes& r) { return r.file.stem().string(); });
  rename_repeated(labels, runs, [](const ScenarioOutcomes& r) { return r.file.string(); });
  return labels;
}

Comparison compare(const ScenarioOutcomes& a, const ScenarioOutcomes& b) {
  // Files and their figures in one order, the baseline's first: "a and b ...: (a's vs b's)".
  auto refuse = [&](const std::string& what) {
    throw InputError("compare: " + a.file.string() + " and " + b.file.string() +
                     " cannot be compared: " + what);
  };
  if (a.agents != b.agents)
    refuse("different population sizes (" + std::to_string(a.agents) + " vs " +
           std::to_string(b.agents) + " agents)");
  if (std::abs(a.years - b.years) > 1e-9)
    refuse("different lengths (" + std::to_string(a.years) + " vs " + std::to_string(b.years) +
           " years)");
  if (a.replicates != b.replicates)
    refuse("different numbers of replicates (" + std::to_string(a.replicates) + " vs " +
           std::to_string(b.replicates) + ")");
  if (a.version != b.version)
    refuse("made by different sarcosim versions (" + a.version + " vs " + b.version + ")");
  if (a.outcomes.size() != b.outcomes.size()) refuse("different outcomes");

  Comparison c{a.scenario, b.scenario, {}, kNaN, a.seeds == b.seeds};
  const std::size_t R = a.replicates;
  const double t = R > 1 ? boost::math::quantile(boost::math::complement(
                               boost::math::students_t(static_cast<double>(R - 1)), 0.025))
                         : kNaN;
  const double enrolled = mean(b.enrolled_people);
  double d_cost = 0, d_qaly = 0;
  for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
    const auto& x = a.outcomes[k];
    const auto& y = b.outcomes[k];
    std::vector<double> d(R);
    for (std::size_t r = 0; r < R; ++r)
      d[r] = y.value[r] - x.value[r];
    const double m = mean(d);
    double var = 0;
    for (double v : d)
      var += (v - m) * (v - m);
    const double half =
        R > 1 ? t * std::sqrt(var / static_cast<double>(R - 1) / static_cast<double>(R)) : kNaN;
    using Kind = ScenarioOutcomes::Outcome::Kind;
    const double per_1000 =
        x.kind == Kind::Share ? 10 * m : 1000 * m / static_cast<double>(a.agents);
    ComparisonRow row{x.name,   x.unit,   mean(x.value), mean(y.value), m,
                      m - half, m + half, per_1000,      kNaN};
    if (x.kind == Kind::Events && m < 0 && enrolled > 0) row.nnt = enrolled / -m;
    if (x.name == "costs_discounted") d_cost = m;
    if (x.name == "qalys_discounted") d_qaly = m;
    c.rows.push_back(row);
  }
  if (d_qaly > 0) c.icer = d_cost / d_qaly;
  return c;
}

}  // namespace sarcosim
