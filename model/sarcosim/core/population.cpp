#include "sarcosim/core/population.hpp"

namespace sarcosim {

std::vector<Population::ColumnRef> Population::columns() const {
  std::vector<ColumnRef> out;
  for (const auto& c : columns_)
    out.push_back({c->info, c->data()});
  return out;
}

std::size_t Population::bytes_per_agent() const {
  std::size_t b = 0;
  for (const auto& c : columns_)
    b += c->element_size();
  return b;
}

CoreColumns CoreColumns::declare(Population& pop) {
  CoreColumns c;
  c.sex = pop.add<std::uint8_t>({"sex", "", "0 male, 1 female", {}});
  c.birth_day = pop.add<std::int32_t>(
      {"birth_day", "day", "day of birth relative to the start of the run (negative)", {}});
  c.alive = pop.add<std::uint8_t>({"alive", "", "1 alive, 0 dead", {}}, 1);
  c.death_day = pop.add<std::int32_t>(
      {"death_day", "day", "day of death (2147483647 while alive)", {}}, kNotDead);
  c.death_cause = pop.add<std::uint8_t>(
      {"death_cause", "", "index into /events/death_causes, 0 while alive", {}});
  c.height_m = pop.add<float>({"height_m", "m", "standing height", {}});
  c.alm_kg = pop.add<float>({"alm_kg", "kg", "appendicular lean mass (DXA)", {}});
  c.grip_kg = pop.add<float>({"grip_kg", "kg", "maximal grip strength", {}});
  return c;
}

CoreColumns CoreColumns::find(const Population& pop) {
  CoreColumns c;
  c.sex = pop.get<std::uint8_t>("sex");
  c.birth_day = pop.get<std::int32_t>("birth_day");
  c.alive = pop.get<std::uint8_t>("alive");
  c.death_day = pop.get<std::int32_t>("death_day");
  c.death_cause = pop.get<std::uint8_t>("death_cause");
  c.height_m = pop.get<float>("height_m");
  c.alm_kg = pop.get<float>("alm_kg");
  c.grip_kg = pop.get<float>("grip_kg");
  return c;
}

}  // namespace sarcosim
