// Lookup columns: values that are a function of a bit mask (conditions, programmes) are kept as one
// table by mask, read like a column, and written to the snapshot like any column.
#include <catch2/catch.hpp>

#include "sarcosim/core/population.hpp"
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/core/simulation.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("a lookup column reads its table at each person's mask and costs no bytes per person",
          "[population][lookup]") {
  Population pop(4);
  std::uint16_t* mask = pop.add<std::uint16_t>({"mask", "", "", {}});
  const std::size_t bytes = pop.bytes_per_agent();
  float* table = pop.add_lookup({"effect", "", "", {}}, "mask", 2, 1.0f);
  table[1] = 0.5f;
  table[3] = 0.25f;
  mask[1] = 1;
  mask[2] = 3;
  const LookupColumn effect = pop.lookup("effect");
  CHECK(effect[0] == 1.0f);
  CHECK(effect[1] == 0.5f);
  CHECK(effect[2] == 0.25f);
  CHECK(pop.bytes_per_agent() == bytes);
  REQUIRE(pop.lookups().size() == 1);
  CHECK(pop.lookups()[0].key_name == "mask");
  CHECK(pop.lookups()[0][2] == 0.25f);
  CHECK_THROWS(pop.add_lookup({"effect", "", "", {}}, "mask", 2, 1.0f));
  CHECK_THROWS(pop.add<float>({"effect", "", "", {}}));
  CHECK_THROWS(pop.add_lookup({"other", "", "", {}}, "no such column", 2, 1.0f));
  CHECK_THROWS(pop.lookup("mask"));
  CHECK_THROWS(pop.sparse_lookup("effect"));  // its mask is dense
}

TEST_CASE("a lookup column may take its mask from a sparse column", "[population][lookup]") {
  Population pop(5000);  // more than a sparse page of 4,096 people
  const Sparse<std::uint16_t> mask = pop.add_sparse<std::uint16_t>({"mask", "", "", {}});
  float* table = pop.add_lookup({"effect", "", "", {}}, "mask", 2, 1.0f);
  table[2] = 0.5f;
  mask.set(4500, 2);
  CHECK_THROWS(pop.lookup("effect"));  // a dense lookup asked of a sparse mask
  const SparseLookupColumn effect = pop.sparse_lookup("effect");
  CHECK(effect[0] == 1.0f);
  CHECK(effect[4500] == 0.5f);
  CHECK(effect[4499] == 1.0f);
  mask.set(4500, 0);  // left: neutral again
  CHECK(effect[4500] == 1.0f);
  CHECK(pop.lookups()[0][4500] == 1.0f);
  pop.add_sparse<std::uint8_t>({"narrow", "", "", {}});
  CHECK_THROWS(pop.add_lookup({"other", "", "", {}}, "narrow", 2, 1.0f));  // not a uint16 mask
}

TEST_CASE("programmes' effects combine in the table entry of people in several programmes",
          "[population][lookup][interventions]") {
  const RunResult r = run_simulation(test::small_scenario(
      {"run.agents=200", "run.years=1", "vitamin_d.enabled=true", "vitamin_d.fall_rate_ratio=0.8",
       "fall_prevention_exercise.enabled=true", "fall_prevention_exercise.adherence=0.5",
       "fall_prevention_exercise.fall_rate_ratio=0.6"}));
  const float* fall = r.population.lookup_table(state::kFallMultiplier);
  const float* training = r.population.lookup_table(state::kTrainingStimulus);
  const unsigned exercise = 1u << 5, vitamin_d = 1u << 7;
  CHECK(fall[0] == 1.0f);
  CHECK(training[0] == 0.0f);
  CHECK(fall[exercise] == Approx(0.8));  // 1 - adherence 0.5 x (1 - ratio 0.6)
  CHECK(fall[vitamin_d] < 1.0f);
  CHECK(fall[exercise | vitamin_d] == Approx(fall[exercise] * fall[vitamin_d]));
  CHECK(training[exercise | vitamin_d] == training[exercise]);  // vitamin D does not train
  // Everyone reads the entry of the programmes they are in, and neutral once they left them all.
  const auto enrolled = r.population.get_sparse<std::uint16_t>(state::kEnrolled);
  const SparseLookupColumn effect = r.population.sparse_lookup(state::kFallMultiplier);
  std::size_t in_none = 0;
  for (std::size_t i = 0; i < r.population.size(); ++i) {
    CHECK(effect[i] == fall[enrolled[i]]);
    if (enrolled[i] != 0) continue;
    ++in_none;
    CHECK(effect[i] == 1.0f);
  }
  CHECK(in_none > 0);
  CHECK(in_none < r.population.size());  // and some are in a programme
}
