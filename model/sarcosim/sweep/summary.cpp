#include "sarcosim/sweep/summary.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "sarcosim/core/csv.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/text_table.hpp"

namespace sarcosim {
namespace {

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t k = 0; k < order.size();) {  // ties get their mean rank
    std::size_t e = k;
    while (e + 1 < order.size() && v[order[e + 1]] == v[order[k]])
      ++e;
    for (std::size_t q = k; q <= e; ++q)
      r[order[q]] = 0.5 * static_cast<double>(k + e);
    k = e + 1;
  }
  return r;
}

// Residuals of y after least squares on the columns of z (with an intercept), by Gram-Schmidt.
std::vector<double> residuals(std::vector<double> y, const std::vector<std::vector<double>>& z) {
  std::vector<std::vector<double>> basis;
  std::vector<double> ones(y.size(), 1.0);
  std::vector<std::vector<double>> cols = {ones};
  cols.insert(cols.end(), z.begin(), z.end());
  for (auto c : cols) {
    for (const auto& b : basis) {
      const double p = std::inner_product(c.begin(), c.end(), b.begin(), 0.0);
      for (std::size_t i = 0; i < c.size(); ++i)
        c[i] -= p * b[i];
    }
    const double norm = std::sqrt(std::inner_product(c.begin(), c.end(), c.begin(), 0.0));
    if (norm < 1e-12) continue;
    for (auto& x : c)
      x /= norm;
    basis.push_back(c);
  }
  for (const auto& b : basis) {
    const double p = std::inner_product(y.begin(), y.end(), b.begin(), 0.0);
    for (std::size_t i = 0; i < y.size(); ++i)
      y[i] -= p * b[i];
  }
  return y;
}

std::string number_text(double x) {
  std::ostringstream s;
  s << std::setprecision(4) << x;
  return s.str();
}

// For parameter column `p`: per level, the number of runs and the mean of each outcome. An empty
// level is a list's run that keeps the base scenario's value.
void print_means_by_level(const CsvTable& t, const std::vector<std::size_t>& done, int p,
                          const std::vector<int>& outcomes, std::ostream& out) {
  const auto at = [](int column) { return static_cast<std::size_t>(column); };
  out << "\n" << t.header[at(p)] << ": mean by level\n";
  std::vector<TextRow> rows{{"level", "runs"}};
  for (int o : outcomes)
    rows[0].push_back(t.header[at(o)]);
  std::map<std::string, std::vector<std::size_t>> by_level;
  for (auto r : done)
    by_level[t.rows[r][at(p)]].push_back(r);
  for (const auto& [level, runs] : by_level) {
    rows.push_back({level.empty() ? "(base)" : level, std::to_string(runs.size())});
    for (int o : outcomes) {
      double sum = 0;
      for (auto r : runs)
        sum += t.number(r, o);
      rows.back().push_back(number_text(sum / static_cast<double>(runs.size())));
    }
  }
  print_table(rows, Align::Right, out, "  ");
}

}  // namespace

double partial_rank_correlation(const std::vector<std::vector<double>>& x, std::size_t j,
                                const std::vector<double>& y) {
  std::vector<std::vector<double>> others;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (k != j) others.push_back(ranks(x[k]));
  const auto rx = residuals(ranks(x[j]), others);
  const auto ry = residuals(ranks(y), others);
  const double sxy = std::inner_product(rx.begin(), rx.end(), ry.begin(), 0.0);
  const double sxx = std::inner_product(rx.begin(), rx.end(), rx.begin(), 0.0);
  const double syy = std::inner_product(ry.begin(), ry.end(), ry.begin(), 0.0);
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

void print_sweep_summary(const std::filesystem::path& dir, std::ostream& out) {
  const CsvTable t = read_csv(dir / "index.csv");
  const int status = t.require_column("status");
  const int file = t.require_column("file");
  std::vector<int> params, outcomes;
  for (int c = 1; c < status; ++c)
    params.push_back(c);
  // The outcomes worth a table: a few headline figures, when present.
  for (const char* name : {"deaths", "mortality_per_1000_py", "sarcopenia_share_at_end",
                           "severe_sarcopenia_share_at_end", "mean_alm_kg_at_end",
                           "mean_grip_kg_at_end", "in_care_home_share_at_end"})
    if (int c = t.column(name); c > file) outcomes.push_back(c);
  std::vector<std::size_t> done;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r][static_cast<std::size_t>(status)] == "done") done.push_back(r);
  out << "sweep " << dir.string() << ": " << done.size() << " of " << t.rows.size()
      << " runs done\n";
  if (done.empty()) return;
  bool sampled = false;
  for (int p : params) {
    std::set<std::string> levels;
    for (auto r : done)
      levels.insert(t.rows[r][static_cast<std::size_t>(p)]);
    if (levels.size() > 12) sampled = true;
  }
  if (!sampled) {
    for (int p : params)
      print_means_by_level(t, done, p, outcomes, out);
    return;
  }
  out << std::setprecision(4);
  out << "\npartial rank correlation (PRCC) of each parameter with each outcome (tornado: largest "
         "|PRCC| first)\n";
  std::vector<std::string> names;
  for (int p : params)
    names.push_back(t.header[static_cast<std::size_t>(p)]);
  const std::size_t name_width = name_column_width(names);
  std::vector<std::vector<double>> x;
  for (int p : params) {
    x.emplace_back();
    for (auto r : done)
      x.back().push_back(t.number(r, p));
  }
  for (int o : outcomes) {
    std::vector<double> y;
    for (auto r : done)
      y.push_back(t.number(r, o));
    std::vector<std::pair<double, std::string>> rows;
    for (std::size_t j = 0; j < params.size(); ++j)
      rows.push_back(
          {partial_rank_correlation(x, j, y), t.header[static_cast<std::size_t>(params[j])]});
    std::sort(rows.begin(), rows.end(),
              [](auto a, auto b) { return std::abs(a.first) > std::abs(b.first); });
    out << "\n" << t.header[static_cast<std::size_t>(o)] << "\n";
    for (const auto& [prcc, name] : rows) {
      const int bar = static_cast<int>(std::lround(std::abs(prcc) * 30));
      out << "  " << std::left << std::setw(static_cast<int>(name_width)) << name << std::right
          << std::setw(8) << prcc << "  "
          << std::string(static_cast<std::size_t>(bar), prcc < 0 ? '-' : '+') << "\n";
    }
  }
}

}  // namespace sarcosim
