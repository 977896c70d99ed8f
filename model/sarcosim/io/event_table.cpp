#include "sarcosim/io/event_table.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/population.hpp"

namespace sarcosim {

std::size_t event_chunk(std::size_t expected_events) {
  constexpr std::size_t kMin = 1024, kMax = 65536;
  return std::clamp(std::bit_ceil(expected_events / 8), kMin, kMax);
}

EventTableWriter::EventTableWriter(const h5::Group& group, std::size_t expected_events)
    : group_(group),
      agent_(group_.create_growing_dataset<std::uint32_t>("agent", event_chunk(expected_events))),
      day_(group_.create_growing_dataset<std::int32_t>("day", event_chunk(expected_events))),
      type_(group_.create_growing_dataset<std::uint16_t>("type", event_chunk(expected_events))),
      detail_(group_.create_growing_dataset<float>("detail", event_chunk(expected_events))) {}

void EventTableWriter::append(std::span<const Event> events) {
  // One field at a time, by slices of a million: 14 bytes per event in a slice, never per event
  // of the log.
  constexpr std::size_t kSlice = std::size_t{1} << 20;
  for (std::size_t first = 0; first < events.size(); first += kSlice) {
    const auto slice = events.subspan(first, std::min(kSlice, events.size() - first));
    auto field = [&](const h5::Handle& ds, const char* name, auto value_of) {
      std::vector<decltype(value_of(slice[0]))> values(slice.size());
      for (std::size_t k = 0; k < slice.size(); ++k)
        values[k] = value_of(slice[k]);
      group_.append(ds, name, values);
    };
    field(agent_, "agent", [](const Event& e) { return std::uint32_t{e.agent}; });
    field(day_, "day", [](const Event& e) { return std::int32_t{e.day}; });
    field(type_, "type", [](const Event& e) { return EventTypeId{e.type}; });
    field(detail_, "detail", [](const Event& e) { return float{e.detail}; });
  }
}

void write_event_table(const h5::Group& g, std::span<const Event> events) {
  EventTableWriter(g, events.size()).append(events);
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
