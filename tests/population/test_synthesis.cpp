#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sarcosim/core/csv.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/data/reference_data.hpp"
#include "sarcosim/population/synthesis.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

namespace {
Population synth(std::size_t n, const std::vector<std::string>& overrides = {}) {
  const Scenario sc = test::small_scenario(overrides);
  return make_population(sc.params, Rng(11), n);
}
}  // namespace

TEST_CASE("age and sex follow the US 2019 age structure", "[population]") {
  const Population pop = synth(40000);
  const CoreColumns c = CoreColumns::find(pop);
  // Shares of the 60+ population by band and sex, from the built-in counts.
  const auto bands = data::us_2019_age_structure();
  double total = 0;
  for (const auto& b : bands)
    if (b.age_lower >= 60) total += b.men + b.women;
  for (const auto& b : bands) {
    if (b.age_lower < 60) continue;
    const bool open = b.age_lower == bands.back().age_lower;
    double men = 0, women = 0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const double age = age_years(0, c.birth_day[i]);
      if (age >= b.age_lower && (open || age < b.age_lower + 5))
        (c.sex[i] == kMale ? men : women)++;
    }
    INFO("band " << b.age_lower);
    CHECK(men / static_cast<double>(pop.size()) == Approx(b.men / total).margin(0.006));
    CHECK(women / static_cast<double>(pop.size()) == Approx(b.women / total).margin(0.006));
  }
}

TEST_CASE("grip medians follow Dodds 2014 by age and sex", "[population]") {
  const Population pop = synth(40000);
  const CoreColumns c = CoreColumns::find(pop);
  for (int age : {65, 75, 85}) {
    for (std::uint8_t sex : {kMale, kFemale}) {
      std::vector<float> g;
      for (std::size_t i = 0; i < pop.size(); ++i) {
        const double a = age_years(0, c.birth_day[i]);
        if (c.sex[i] == sex && a >= age - 2.5 && a < age + 2.5) g.push_back(c.grip_kg[i]);
      }
      std::nth_element(g.begin(), g.begin() + g.size() / 2, g.end());
      INFO("age " << age << " sex " << int(sex));
      CHECK(g[g.size() / 2] == Approx(grip_norm(age, sex).median).margin(1.0));
    }
  }
}

TEST_CASE("lean mass: shares below the EWGSOP2 ALMI cut-offs at 80+ near Geelong (Gould 2014)",
          "[population][calibration]") {
  const Population pop = synth(40000);
  const CoreColumns c = CoreColumns::find(pop);
  double n[2] = {}, low[2] = {};
  for (std::size_t i = 0; i < pop.size(); ++i) {
    if (age_years(0, c.birth_day[i]) < 80) continue;
    const double almi = c.alm_kg[i] / (c.height_m[i] * c.height_m[i]);
    n[c.sex[i]]++;
    low[c.sex[i]] += almi < (c.sex[i] == kMale ? 7.0 : 5.5);
  }
  // Gould 2014: 16 % of men and 6 % of women aged 80+ fall below T = -2. The defaults sit
  // between Geelong (Lunar DXA) and NHANES (Hologic, lower means): accept 10-30 % and 4-20 %.
  INFO("men " << low[0] / n[0] << ", women " << low[1] / n[1]);
  CHECK((low[0] / n[0] > 0.10 && low[0] / n[0] < 0.30));
  CHECK((low[1] / n[1] > 0.04 && low[1] / n[1] < 0.20));
}

TEST_CASE("a cohort CSV is loaded, and missing measures are drawn", "[population][csv]") {
  test::TempDir dir;
  const auto f = dir.write("cohort.csv",
                           "age,sex,height_m,alm_kg,grip_kg\n"
                           "72.5,F,1.60,14.2,21\n"
                           "81,M,,,\n"
                           "65,male,1.80,24,45\n");
  const Population pop = synth(0, {"population.source=csv", "population.csv=" + f.string()});
  const CoreColumns c = CoreColumns::find(pop);
  REQUIRE(pop.size() == 3);
  // Stored oldest first; `person` is the row.
  CHECK(c.person[0] == 1);
  CHECK(c.person[1] == 0);
  CHECK(c.person[2] == 2);
  CHECK(c.sex[1] == kFemale);
  // Lean mass and grip start on the 2 g grid of their start values (core/population.hpp).
  CHECK(c.alm_kg[1] == Approx(14.2).margin(1.0 / 1024));
  CHECK(c.alm_kg[1] == c.alm_kg_start[1]);
  CHECK(c.grip_kg[2] == Approx(45.0).margin(1.0 / 1024));
  CHECK(age_years(0, c.birth_day[0]) == Approx(81).margin(0.01));
  CHECK(c.grip_kg[0] > 0);  // drawn for his age and sex
  CHECK(c.alm_kg[0] > 0);
}

TEST_CASE("people are stored oldest first, each keeping the number they were drawn with",
          "[population]") {
  const std::size_t n = 20000;
  const Population pop = synth(n);
  const CoreColumns c = CoreColumns::find(pop);
  std::vector<int> seen(n, 0);
  std::size_t out_of_order = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ++seen[c.person[i]];
    if (i > 0 && (c.birth_day[i] < c.birth_day[i - 1] ||
                  (c.birth_day[i] == c.birth_day[i - 1] && c.person[i] < c.person[i - 1])))
      ++out_of_order;
  }
  CHECK(out_of_order == 0);
  CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<std::ptrdiff_t>(n));
  // Each person is the one drawn with that number: the same body in a population of another size.
  const Population smaller = synth(n / 2);
  const CoreColumns s = CoreColumns::find(smaller);
  std::vector<std::size_t> place(n);
  for (std::size_t i = 0; i < n; ++i)
    place[c.person[i]] = i;
  std::size_t differ = 0;
  for (std::size_t i = 0; i < n / 2; ++i) {
    const std::size_t j = place[s.person[i]];
    differ += s.sex[i] != c.sex[j] || s.birth_day[i] != c.birth_day[j] ||
              s.height_m[i] != c.height_m[j] || s.alm_kg[i] != c.alm_kg[j] ||
              s.grip_kg[i] != c.grip_kg[j] || s.weight_kg[i] != c.weight_kg[j] ||
              s.alm_kg_start[i] != c.alm_kg_start[j] || s.grip_kg_start[i] != c.grip_kg_start[j];
  }
  CHECK(differ == 0);
}

TEST_CASE("bad cohort CSVs are refused with the file and line", "[population][csv][errors]") {
  test::TempDir dir;
  auto error_for = [&](const std::string& text) {
    const auto f = dir.write("c.csv", text);
    try {
      synth(0, {"population.source=csv", "population.csv=" + f.string()});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_for("age,sex\n70,X\n"), Contains("c.csv:2") && Contains("sex must be M or F"));
  CHECK_THAT(error_for("age,sex\n7O,F\n"), Contains("c.csv:2") && Contains("not a number"));
  CHECK_THAT(error_for("age,sex\n150,F\n"), Contains("age must be in [18, 120]"));
  CHECK_THAT(error_for("age\n70\n"), Contains("missing column 'sex'"));
  CHECK_THAT(error_for("age,sex\n70,F,3\n"), Contains("expected 2 columns"));
  CHECK_THAT(error_for("age,sex,grip_kg\n70,F,500\n"), Contains("grip_kg") && Contains("outside"));
  CHECK_THAT(error_for("age,sex\n"), Contains("no rows"));
}

TEST_CASE("CSV cells may be quoted", "[csv]") {
  test::TempDir dir;
  const CsvTable t = read_csv(dir.write("q.csv", "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n"));
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0][1] == "x, y");
  CHECK(t.rows[0][2] == "say \"hi\"");
}

TEST_CASE("the grip-norm table gives grip_norm's own doubles at every day of age", "[population]") {
  std::size_t differ = 0;
  const GripNorms norms;
  for (std::uint8_t sex : {kMale, kFemale})
    for (std::int32_t d = -3; d < 131 * 366; d += 7) {  // beyond the table's ends too
      const GripNorm t = norms(1000 + d, 1000, sex), f = grip_norm(age_years(d, 0), sex);
      differ += t.median != f.median || t.sd != f.sd;
    }
  CHECK(differ == 0);
}
