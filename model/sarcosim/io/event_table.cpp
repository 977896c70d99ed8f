#include "sarcosim/io/event_table.hpp"

#include <string>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/population.hpp"

namespace sarcosim {

void write_event_table(const h5::Group& g, std::span<const Event> events) {
  // One field at a time, by slices: no copy of the log in memory.
  const std::size_t n = events.size();
  g.write_by_slices<std::uint32_t>("agent", n, [&](std::size_t k) { return events[k].agent; });
  g.write_by_slices<std::int32_t>("day", n, [&](std::size_t k) { return events[k].day; });
  g.write_by_slices<std::uint16_t>("type", n, [&](std::size_t k) { return events[k].type; });
  g.write_by_slices<float>("detail", n, [&](std::size_t k) { return events[k].detail; });
}

std::vector<Event> read_event_table(const h5::Group& g) {
  const auto agent = g.read<std::uint32_t>("agent");
  const auto day = g.read<std::int32_t>("day");
  const auto type = g.read<std::uint16_t>("type");
  const auto detail = g.read<float>("detail");
  if (day.size() != agent.size() || type.size() != agent.size() || detail.size() != agent.size())
    throw IoError(g.where() + ": the event table's columns differ in length (damaged file?)");
  std::vector<Event> events;
  events.reserve(agent.size());
  for (std::size_t k = 0; k < agent.size(); ++k) {
    if (day[k] < 0 || day[k] > kMaxRunYears * kDaysPerYear)
      throw IoError(g.where() + "/day: event " + std::to_string(k) + " has day " +
                    std::to_string(day[k]) + ", outside a run's days (damaged file?)");
    events.push_back({agent[k], static_cast<std::uint16_t>(day[k]), type[k], detail[k]});
  }
  return events;
}

}  // namespace sarcosim
