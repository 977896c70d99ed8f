// Golden output: a small run's series and final state, summarised to a few hundred numbers, must
// not change unless a change to the model is deliberate. Refresh with scripts/update_golden (and
// commit the refreshed file on its own, saying why).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

using namespace sarcosim;

namespace {

// Totals of every series over periods (per sex), and sums of every snapshot column, printed with
// full precision: any change in any number shows.
std::string fingerprint(const RunResult& r) {
  std::ostringstream out;
  out << std::setprecision(17);
  for (std::size_t s = 0; s < r.registry.series().size(); ++s)
    for (int sex = 0; sex < 2; ++sex) {
      double t = 0;
      for (std::size_t p = 0; p < r.periods.size(); ++p)
        for (int b = 0; b < AgeBands::kCount; ++b)
          t += r.at(p, static_cast<SeriesId>(s), sex, b);
      out << "series " << r.registry.series()[s].name << " " << sex << " " << t << "\n";
    }
  // Columns by name: kept per person or as a table by mask (lookups), the same numbers.
  for (const auto& [name, values] : test::column_values(r.population, false)) {
    double t = 0;
    for (const double v : values)
      t += v;
    out << "column " << name << " " << t << "\n";
  }
  out << "events " << r.events.size() << "\n";
  return out.str();
}

// The baseline, then resistance training with protein (programmes, training gains and their
// effects run only when a programme is on).
std::string fingerprint() {
  const std::vector<std::string> run = {"run.agents=3000", "run.years=2", "run.seed=17"};
  auto with_training = run;
  with_training.push_back("training_and_protein.enabled=true");
  return fingerprint(run_simulation(test::small_scenario(run))) + "== training_and_protein\n" +
         fingerprint(run_simulation(test::small_scenario(with_training)));
}

}  // namespace

TEST_CASE("golden output: a fixed small run gives the same numbers as recorded", "[golden]") {
  const std::string path = std::string(SARCOSIM_SOURCE_DIR) + "/tests/golden/small_run.txt";
  const std::string now = fingerprint();
  if (const char* update = std::getenv("SARCOSIM_UPDATE_GOLDEN");
      update && std::string(update) == "1") {
    std::ofstream(path) << now;
    WARN("golden file rewritten: " << path);
    return;
  }
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream golden;
  golden << in.rdbuf();
  std::istringstream a(golden.str()), b(now);
  std::string la, lb;
  int line = 0, differences = 0;
  while (std::getline(a, la) && std::getline(b, lb)) {
    ++line;
    if (la != lb && ++differences <= 10)
      UNSCOPED_INFO("line " << line << ": golden '" << la << "', now '" << lb << "'");
  }
  INFO("refresh with scripts/update_golden if the change is deliberate");
  CHECK(differences == 0);
  CHECK(golden.str().size() == now.size());
}
