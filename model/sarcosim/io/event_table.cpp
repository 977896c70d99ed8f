#include "sarcosim/io/event_table.hpp"

#include <algorithm>
#include <string>

namespace sarcosim {
namespace {

template <class T, class Field>
void write_field(const h5::Group& g, const std::string& name, std::span<const Event> events,
                 Field field) {
  constexpr std::size_t kSlice = std::size_t{1} << 20;
  const h5::Handle ds = g.create_dataset<T>(name, events.size());
  std::vector<T> slice;
  for (std::size_t first = 0; first < events.size(); first += kSlice) {
    const std::size_t last = std::min(events.size(), first + kSlice);
    slice.resize(last - first);
    for (std::size_t i = first; i < last; ++i)
      slice[i - first] = field(events[i]);
    g.write_slice(ds, name, first, slice);
  }
}

}  // namespace

void write_event_table(const h5::Group& g, std::span<const Event> events) {
  write_field<std::uint32_t>(g, "agent", events, [](const Event& e) { return e.agent; });
  write_field<std::int32_t>(g, "day", events, [](const Event& e) { return e.day; });
  write_field<std::uint16_t>(g, "type", events, [](const Event& e) { return e.type; });
  write_field<float>(g, "detail", events, [](const Event& e) { return e.detail; });
}

std::vector<Event> read_event_table(const h5::Group& g) {
  const auto agent = g.read<std::uint32_t>("agent");
  const auto day = g.read<std::int32_t>("day");
  const auto type = g.read<std::uint16_t>("type");
  const auto detail = g.read<float>("detail");
  std::vector<Event> events;
  events.reserve(agent.size());
  for (std::size_t k = 0; k < agent.size(); ++k)
    events.push_back({agent[k], day[k], type[k], 0, detail[k]});
  return events;
}

}  // namespace sarcosim
