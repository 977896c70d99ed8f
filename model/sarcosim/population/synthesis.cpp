#include "sarcosim/population/synthesis.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "sarcosim/core/csv.hpp"
#include "sarcosim/core/day_of_age_table.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/parallel.hpp"
#include "sarcosim/data/reference_data.hpp"
#include "sarcosim/physiology/mortality_curve.hpp"

namespace sarcosim {
namespace {

constexpr int kOldest = 100;  // the open top band is spread over ages up to 100
// People are at most 120 at the start (CSV rows; kOldest + 1 when drawn): their birth days fit.
static_assert(120 * kDaysPerYear < -BirthDay16::kEarliest);

// Cumulative weights over single years of age (age_min..kOldest) for each sex, from counts by
// band. Within a closed band people are spread evenly; the open top band follows the life
// table's survivorship (fewer people at each older age).
struct AgeSexTable {
  std::vector<double> cum;  // [sex * n_ages + (age - age_min)] cumulative over both sexes
  int age_min;
  int n_ages;
};

AgeSexTable build_age_table(const std::vector<data::AgeBandCount>& bands, int age_min) {
  AgeSexTable t{{}, age_min, kOldest - age_min + 1};
  std::vector<double> w(2 * static_cast<std::size_t>(t.n_ages), 0.0);
  for (int sex = 0; sex < 2; ++sex) {
    const auto curve = MortalityCurve::from_life_table(data::ssa_2019_life_table(), sex == kFemale);
    for (std::size_t b = 0; b < bands.size(); ++b) {
      const double count = sex == kMale ? bands[b].men : bands[b].women;
      const bool open = b + 1 == bands.size();
      const int lo = bands[b].age_lower;
      const int hi = open ? kOldest + 1 : bands[b + 1].age_lower;
      double norm = 0;
      for (int a = lo; a < hi; ++a)
        norm += open ? std::exp(-(curve.cumulative(a + 0.5) - curve.cumulative(lo))) : 1.0;
      for (int a = std::max(lo, age_min); a < hi && a <= kOldest; ++a) {
        const double share =
            open ? std::exp(-(curve.cumulative(a + 0.5) - curve.cumulative(lo))) / norm
                 : 1.0 / norm;
        w[sex * t.n_ages + (a - age_min)] += count * share;
      }
    }
  }
  double total = 0;
  t.cum.resize(w.size());
  for (std::size_t i = 0; i < w.size(); ++i)
    t.cum[i] = (total += w[i]);
  if (total <= 0)
    throw InputError("population.age_structure_csv: no people at or above population.age_min = " +
                     std::to_string(age_min));
  for (auto& c : t.cum)
    c /= total;
  return t;
}

std::vector<data::AgeBandCount> age_structure(const ParamSet& p) {
  const std::string& file = p.text("population.age_structure_csv");
  if (file.empty()) {
    const auto s = data::us_2019_age_structure();
    return {s.begin(), s.end()};
  }
  const CsvTable t = read_csv(file);
  const int ca = t.require_column("age_lower"), cm = t.require_column("men"),
            cw = t.require_column("women");
  std::vector<data::AgeBandCount> out;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    // Counts up to 1e12 (people, or weights): their sum stays finite and exact enough.
    data::AgeBandCount b{static_cast<int>(t.number_in(r, ca, 0, kOldest, true)),
                         t.number_in(r, cm, 0, 1e12), t.number_in(r, cw, 0, 1e12)};
    if (!out.empty() && b.age_lower <= out.back().age_lower)
      throw InputError(t.where(r) + ": age_lower must increase from row to row");
    out.push_back(b);
  }
  return out;
}

struct BodyParams {
  double height_cm[2], height_sd[2], height_loss;
  double almi70[2], almi_slope[2], almi_sd[2], rho[2], bmi[2], bmi_sd;
  explicit BodyParams(const ParamSet& p)
      : height_cm{p.real("population.height_men_cm"), p.real("population.height_women_cm")},
        height_sd{p.real("population.height_sd_men_cm"), p.real("population.height_sd_women_cm")},
        height_loss(p.real("population.height_loss_cm_per_year")),
        almi70{p.real("population.almi_men_70"), p.real("population.almi_women_70")},
        almi_slope{p.real("population.almi_slope_men"), p.real("population.almi_slope_women")},
        almi_sd{p.real("population.almi_sd_men"), p.real("population.almi_sd_women")},
        rho{p.real("population.grip_alm_correlation_men"),
            p.real("population.grip_alm_correlation_women")},
        bmi{p.real("population.bmi_men"), p.real("population.bmi_women")},
        bmi_sd(p.real("population.bmi_sd")) {}
};

constexpr StreamId kAgeSexStream = stream("population.age_sex");
constexpr StreamId kBodyStream = stream("population.body");
constexpr StreamId kResampleStream = stream("population.resample");

struct Body {
  float height_m = 0, weight_kg = 0, alm_kg = 0, grip_kg = 0;
};

// A person's four normals for their body: normal2(kBodyStream, i, kInitDay, 0) and (..., 1).
struct BodyNormals {
  std::array<double, 2> z, z2;
};

BodyNormals body_normals(const Rng& rng, std::uint32_t i) {
  return {rng.normal2(kBodyStream, i, kInitDay, 0), rng.normal2(kBodyStream, i, kInitDay, 1)};
}

// Draws height, weight, ALM and grip for a person of the given age and sex from their normals;
// keeps given values (> 0).
Body draw_body(const BodyParams& bp, const BodyNormals& normals, std::uint8_t sex, double age,
               Body body) {
  auto& [height_m, weight_kg, alm_kg, grip_kg] = body;
  const auto& [z, z2] = normals;
  if (!(height_m > 0)) {
    const double cm =
        bp.height_cm[sex] - bp.height_loss * std::max(0.0, age - 65) + bp.height_sd[sex] * z2[0];
    height_m = static_cast<float>(std::clamp(cm, 120.0, 220.0) / 100.0);
  }
  const double z_almi = z[0];
  if (!(weight_kg > 0)) {
    const double bmi = std::clamp(bp.bmi[sex] + bp.bmi_sd * z2[1], 15.0, 60.0);
    weight_kg = static_cast<float>(bmi * height_m * height_m);
  }
  if (!(alm_kg > 0)) {
    const double almi =
        std::max(2.0, bp.almi70[sex] + bp.almi_slope[sex] * (age - 70) + bp.almi_sd[sex] * z_almi);
    alm_kg = static_cast<float>(almi * height_m * height_m);
  }
  if (!(grip_kg > 0)) {
    const double rho = bp.rho[sex];
    const double z_grip = rho * z_almi + std::sqrt(1 - rho * rho) * z[1];
    const GripNorm g = grip_norm(age, sex);
    grip_kg = static_cast<float>(std::max(2.0, g.median + g.sd * z_grip));
  }
  return body;
}

void set_body(const CoreColumns& c, std::size_t i, const Body& b) {
  c.height_m[i] = b.height_m;
  c.weight_kg[i] = b.weight_kg;
  c.alm_kg[i] = b.alm_kg;
  c.grip_kg[i] = b.grip_kg;
}

std::uint8_t parse_sex(const CsvTable& t, std::size_t r, int col) {
  const std::string& s = t.rows[r][static_cast<std::size_t>(col)];
  if (s == "M" || s == "m" || s == "male" || s == "0") return kMale;
  if (s == "F" || s == "f" || s == "female" || s == "1") return kFemale;
  throw InputError(t.where(r) + ": sex must be M or F (or male/female, 0/1), found '" + s + "'");
}

Population load_csv_population(const ParamSet& p, const Rng& rng, std::size_t agents) {
  const std::string& file = p.text("population.csv");
  if (file.empty())
    throw InputError("population.source = \"csv\" needs population.csv = \"path/to/cohort.csv\"");
  const CsvTable t = read_csv(file);
  const int c_age = t.require_column("age"), c_sex = t.require_column("sex");
  const int c_h = t.column("height_m"), c_alm = t.column("alm_kg"), c_grip = t.column("grip_kg"),
            c_w = t.column("weight_kg");
  const bool resample = p.boolean("population.csv_resample");
  const std::size_t n = resample ? agents : t.rows.size();
  Population pop(n);
  const CoreColumns c = CoreColumns::declare(pop);
  const BodyParams bp(p);
  auto optional = [&](std::size_t r, int col, double lo, double hi, const char* range) -> float {
    if (col < 0 || t.rows[r][static_cast<std::size_t>(col)].empty()) return 0.0f;
    const double x = t.number(r, col);
    if (x < lo || x > hi)
      throw InputError(t.where(r) + ": column '" + t.header[static_cast<std::size_t>(col)] +
                       "' = " + format_number(x) + " is outside " + range);
    return static_cast<float>(x);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r =
        resample
            ? std::min(t.rows.size() - 1,
                       static_cast<std::size_t>(
                           rng.uniform(kResampleStream, static_cast<std::uint32_t>(i), kInitDay) *
                           static_cast<double>(t.rows.size())))
            : i;
    const double age = t.number(r, c_age);
    if (age < 18 || age > 120) throw InputError(t.where(r) + ": age must be in [18, 120]");
    c.sex[i] = parse_sex(t, r, c_sex);
    c.birth_day[i] = -static_cast<std::int32_t>(std::floor(age * kDaysPerYear));
    Body given;
    given.height_m = optional(r, c_h, 1.0, 2.5, "[1.0, 2.5] m");
    given.alm_kg = optional(r, c_alm, 2.0, 60.0, "[2, 60] kg");
    given.grip_kg = optional(r, c_grip, 0.5, 100.0, "[0.5, 100] kg");
    given.weight_kg = optional(r, c_w, 25.0, 300.0, "[25, 300] kg");
    set_body(c, i,
             draw_body(bp, body_normals(rng, static_cast<std::uint32_t>(i)), c.sex[i], age, given));
  }
  return pop;
}

}  // namespace

GripNorm grip_norm(double age, std::uint8_t sex) {
  const auto rows = data::dodds_2014_grip_centiles();
  const double a =
      std::clamp(age, static_cast<double>(rows.front().age), static_cast<double>(rows.back().age));
  // The last row at or below `a` (but not the last row). This runs for every person at every
  // period's end: a guess from the rows' even spacing, corrected so that it is right for any
  // sorted table.
  const std::size_t last = rows.size() - 2;
  const double step = rows[1].age - rows[0].age;
  auto k = static_cast<std::size_t>(std::clamp((a - rows[0].age) / step, 0.0, double(last)));
  while (k > 0 && rows[k].age > a)
    --k;
  while (k < last && rows[k + 1].age <= a)
    ++k;
  const auto& lo = rows[k];
  const auto& hi = rows[k + 1];
  const double f = (a - lo.age) / (hi.age - lo.age);
  auto lerp = [f](double x, double y) { return x + f * (y - x); };
  if (sex == kMale)
    return {lerp(lo.men_p50, hi.men_p50),
            lerp(lo.men_p90 - lo.men_p10, hi.men_p90 - hi.men_p10) / 2.563};
  return {lerp(lo.women_p50, hi.women_p50),
          lerp(lo.women_p90 - lo.women_p10, hi.women_p90 - hi.women_p10) / 2.563};
}

GripNorms::GripNorms() {
  static const BasicDayOfAgeTable<GripNorm> men([](double age) { return grip_norm(age, kMale); });
  static const BasicDayOfAgeTable<GripNorm> women(
      [](double age) { return grip_norm(age, kFemale); });
  by_sex_[0] = &men;
  by_sex_[1] = &women;
}

namespace {

// People are stored from the oldest to the youngest: by day of birth, and in the order they were
// drawn within a day (a counting sort). People of an age then sit together in memory and in each
// block of the simulation, so the per-day-of-age tables that modules read for every person stay
// in cache and age-dependent branches are predictable (docs/performance.md: 7-12 % faster). Each
// keeps their draw number in `person`, which keys their random numbers, so the order changes no
// one's life; only sums over people are added in another order.
// The order of storage: drawn[place] = the draw number stored there (a counting sort by day of
// birth, stable).
std::vector<std::uint32_t> oldest_first(const BirthDay16* birth_day, std::size_t n) {
  std::vector<std::uint32_t> drawn(n);
  if (n == 0) return drawn;
  const auto [lo, hi] = std::minmax_element(birth_day, birth_day + n);
  std::vector<std::size_t> next(static_cast<std::size_t>(*hi - *lo) + 2, 0);
  for (std::size_t i = 0; i < n; ++i)
    ++next[static_cast<std::size_t>(birth_day[i] - *lo) + 1];
  for (std::size_t k = 1; k < next.size(); ++k)
    next[k] += next[k - 1];
  for (std::size_t i = 0; i < n; ++i)
    drawn[next[static_cast<std::size_t>(birth_day[i] - *lo)]++] = static_cast<std::uint32_t>(i);
  return drawn;
}

// Moves a population drawn in draw order (a cohort CSV's rows) into the order of storage.
void store_oldest_first(const Population& pop) {
  const CoreColumns c = CoreColumns::find(pop);
  const std::size_t n = pop.size();
  for (std::size_t i = 0; i < n; ++i)
    c.person[i] = static_cast<std::uint32_t>(i);
  const std::vector<std::uint32_t> drawn = oldest_first(c.birth_day, n);
  auto reorder = [&](auto* column) {
    const std::vector<std::remove_pointer_t<decltype(column)>> by_draw(column, column + n);
    parallel_chunks(n, 1 << 16, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i != last; ++i)
        column[i] = by_draw[drawn[i]];
    });
  };
  // Every column the population has so far, whatever was drawn into it: moved as raw values.
  for (const auto& col : pop.columns()) {
    if (col.sparse) {  // through a dense copy
      std::vector<std::uint8_t> dense(n * Population::element_size(col.info.type)), moved(dense);
      col.sparse->copy_out(0, n, dense.data());
      const std::size_t size = Population::element_size(col.info.type);
      for (std::size_t i = 0; i < n; ++i)
        std::memcpy(moved.data() + i * size, dense.data() + drawn[i] * size, size);
      col.sparse->copy_in(moved.data());
      continue;
    }
    switch (Population::element_size(col.info.type)) {
      case 1:
        reorder(static_cast<std::uint8_t*>(col.data));
        break;
      case 2:
        reorder(static_cast<std::uint16_t*>(col.data));
        break;
      case 4:
        reorder(static_cast<std::uint32_t*>(col.data));
        break;
      default:
        reorder(static_cast<std::uint64_t*>(col.data));
    }
  }
}

// The copies of lean mass and grip at the start; the run starts on their 2 g grid.
void start_on_baseline_copies(const CoreColumns& c, std::size_t i) {
  c.alm_kg_start[i] = c.alm_kg[i];
  c.alm_kg[i] = c.alm_kg_start[i];
  c.grip_kg_start[i] = c.grip_kg[i];
  c.grip_kg[i] = c.grip_kg_start[i];
}

Population stored_oldest_first_with_baseline_copies(Population pop) {
  store_oldest_first(pop);
  const CoreColumns c = CoreColumns::find(pop);
  for (std::size_t i = 0; i < pop.size(); ++i)
    start_on_baseline_copies(c, i);
  return pop;
}
Population make_synthetic(const ParamSet& p, const Rng& rng, std::size_t agents);
}  // namespace

Population make_population(const ParamSet& p, const Rng& rng, std::size_t agents) {
  if (p.text("population.source") == "csv")
    return stored_oldest_first_with_baseline_copies(load_csv_population(p, rng, agents));
  return make_synthetic(p, rng, agents);
}

namespace {
Population make_synthetic(const ParamSet& p, const Rng& rng, std::size_t agents) {
  const AgeSexTable table =
      build_age_table(age_structure(p), static_cast<int>(p.integer("population.age_min")));
  const BodyParams bp(p);
  Population pop(agents);
  const CoreColumns c = CoreColumns::declare(pop);
  // Each person from their own random numbers (draw number `id`): in parallel (in the caller's
  // task arena), with the same result for any thread count; 16 people at a time, their draws in
  // vector lanes (Rng::uniform4_lanes, Rng::normal2_lanes).
  auto age_sex = [&](double u0, double u1) {
    const auto cell = static_cast<std::size_t>(
        std::upper_bound(table.cum.begin(), table.cum.end(), u0) - table.cum.begin());
    const std::size_t k = std::min(cell, table.cum.size() - 1);
    const std::uint8_t sex = k < static_cast<std::size_t>(table.n_ages) ? kMale : kFemale;
    const double age = table.age_min + static_cast<double>(k % table.n_ages) + u1;
    return std::pair{sex, age};
  };
  auto birth_day = [](double age) {
    return -static_cast<std::int32_t>(std::floor(age * kDaysPerYear));
  };
  constexpr std::uint32_t kZero[kPhiloxLanes] = {},
                          kOne[kPhiloxLanes] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  // The days of birth in draw order give the order of storage (oldest first); then each person
  // is drawn again straight into their place, rather than moving every column after (at 10
  // million people, gathers from everywhere in memory, column after column).
  parallel_chunks(agents, 4096, [&](std::size_t first, std::size_t last) {
    double u[4][kPhiloxLanes];
    Rng::in_lanes(
        first, last, [](std::size_t i) { return static_cast<std::uint32_t>(i); },
        [&](std::size_t lane_start, std::size_t n, const std::uint32_t(&id)[kPhiloxLanes]) {
          rng.uniform4_lanes(kAgeSexStream, id, kInitDay, kZero, u);
          for (std::size_t j = 0; j < n; ++j)
            c.birth_day[lane_start + j] = birth_day(age_sex(u[0][j], u[1][j]).second);
        });
  });
  const std::vector<std::uint32_t> drawn = oldest_first(c.birth_day, agents);
  parallel_chunks(agents, 4096, [&](std::size_t first, std::size_t last) {
    double u[4][kPhiloxLanes], z0[kPhiloxLanes], z1[kPhiloxLanes], z2[kPhiloxLanes],
        z3[kPhiloxLanes];
    Rng::in_lanes(
        first, last, [&](std::size_t place) { return drawn[place]; },
        [&](std::size_t lane_start, std::size_t n, const std::uint32_t(&id)[kPhiloxLanes]) {
          rng.uniform4_lanes(kAgeSexStream, id, kInitDay, kZero, u);
          rng.normal2_lanes(kBodyStream, id, kInitDay, kZero, z0, z1);
          rng.normal2_lanes(kBodyStream, id, kInitDay, kOne, z2, z3);
          for (std::size_t j = 0; j < n; ++j) {
            const std::size_t place = lane_start + j;
            const auto [sex, age] = age_sex(u[0][j], u[1][j]);
            c.person[place] = id[j];
            c.sex[place] = sex;
            c.birth_day[place] = birth_day(age);
            set_body(c, place, draw_body(bp, {{z0[j], z1[j]}, {z2[j], z3[j]}}, sex, age, {}));
            start_on_baseline_copies(c, place);
          }
        });
  });
  return pop;
}

}  // namespace

}  // namespace sarcosim
