#include <catch2/catch.hpp>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/scenario.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("defaults fill every parameter", "[scenario]") {
  const Scenario sc = parse_scenario_text("", "empty.toml");
  for (const auto& spec : dictionary().all())
    CHECK(sc.params.contains(spec.key));
  CHECK(sc.params.integer("run.agents") == 20000);
}

TEST_CASE("a scenario inherits from its base and overrides it", "[scenario]") {
  test::TempDir dir;
  dir.write("base.toml", "name = \"base\"\n[run]\nagents = 500\nyears = 3\n");
  const auto child =
      dir.write("child.toml", "base = \"base.toml\"\nname = \"child\"\n[run]\nyears = 7\n");
  const Scenario sc = load_scenario(child, {"run.seed=9"});
  CHECK(sc.name == "child");
  CHECK(sc.params.integer("run.agents") == 500);
  CHECK(sc.params.real("run.years") == 7);
  CHECK(sc.params.integer("run.seed") == 9);
  CHECK(sc.chain.size() == 2);
}

TEST_CASE("the resolved scenario reads back to the same parameters", "[scenario]") {
  // Round whole numbers too: the shortest text of 1000000 is 1e+06, which TOML reads as a float.
  const Scenario sc =
      test::small_scenario({"muscle.loss_rate_sd=0.25", "population.source=synthetic",
                            "run.agents=1000000", "run.seed=200000"});
  const Scenario again = parse_scenario_text(sc.resolved_toml(), "resolved.toml");
  for (const auto& spec : dictionary().all()) {
    INFO(spec.key);
    CHECK(again.params.value(spec.key).number == sc.params.value(spec.key).number);
    CHECK(again.params.value(spec.key).text == sc.params.value(spec.key).text);
  }
}

TEST_CASE("scenario errors name the file, line, key and allowed range", "[scenario][errors]") {
  test::TempDir dir;
  SECTION("missing file") {
    CHECK_THAT(error_of([&] { load_scenario(dir / "nope.toml"); }),
               Contains("nope.toml") && Contains("not found"));
  }
  SECTION("missing base file") {
    const auto f = dir.write("a.toml", "base = \"gone.toml\"\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }), Contains("a.toml:1") && Contains("gone.toml"));
  }
  SECTION("base chain that loops") {
    dir.write("x.toml", "base = \"y.toml\"\n");
    const auto y = dir.write("y.toml", "base = \"x.toml\"\n");
    CHECK_THAT(error_of([&] { load_scenario(y); }), Contains("loops"));
  }
  SECTION("TOML syntax error, with its line") {
    const auto f = dir.write("bad.toml", "[run]\nagents = 10\nyears = = 3\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }),
               Contains("bad.toml:3") && Contains("syntax error"));
  }
  SECTION("unknown key, with the nearest known key") {
    const auto f = dir.write("typo.toml", "[muscle]\nalm_los_rate_men = 0.01\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }),
               Contains("typo.toml:2") && Contains("unknown key 'muscle.alm_los_rate_men'") &&
                   Contains("did you mean 'muscle.alm_loss_rate_men'"));
  }
  SECTION("unknown section") {
    const auto f = dir.write("sec.toml", "[musle]\nenabled = true\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }),
               Contains("sec.toml:2") && Contains("did you mean 'muscle.enabled'"));
  }
  SECTION("value out of range") {
    const auto f = dir.write("range.toml", "\n[muscle]\nalm_loss_rate_men = 2.5\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }),
               Contains("range.toml:3") && Contains("muscle.alm_loss_rate_men = 2.5") &&
                   Contains("[0, 0.1]") && Contains("1/yr"));
  }
  SECTION("wrong type") {
    const auto f = dir.write("type.toml", "[run]\nagents = \"many\"\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }), Contains("type.toml:2") &&
                                                        Contains("wrong type for run.agents") &&
                                                        Contains("whole number"));
  }
  SECTION("a fraction where a whole number is needed") {
    const auto f = dir.write("frac.toml", "[run]\nagents = 10.5\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }), Contains("run.agents"));
  }
  SECTION("a choice outside its list") {
    const auto f = dir.write("choice.toml", "[demography]\nmortality = \"weibull\"\n");
    CHECK_THAT(error_of([&] { load_scenario(f); }),
               Contains("choice.toml:2") && Contains("one of life_table, gompertz"));
  }
  SECTION("--set errors") {
    CHECK_THAT(error_of([] { test::small_scenario({"run.agents=zero"}); }),
               Contains("--set") && Contains("not a number"));
    CHECK_THAT(error_of([] { test::small_scenario({"run.agentz=5"}); }),
               Contains("did you mean 'run.agents'"));
    CHECK_THAT(error_of([] { test::small_scenario({"run.agents"}); }),
               Contains("section.key=value"));
    CHECK_THAT(error_of([] { test::small_scenario({"muscle.enabled=yes"}); }),
               Contains("true or false"));
  }
}

TEST_CASE("every scenario file shipped in scenarios/ loads", "[scenario]") {
  int n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::string(SARCOSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".toml" || entry.path().parent_path().filename() == "sweeps")
      continue;
    INFO(entry.path());
    CHECK_NOTHROW(load_scenario(entry.path()));
    ++n;
  }
  CHECK(n >= 4);
}
