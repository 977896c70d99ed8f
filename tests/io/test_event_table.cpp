// The event log is written in slices of 2^20 events (io/event_table.cpp): a log longer than two
// slices, with a partial last one, must read back exactly.
#include <catch2/catch.hpp>

#include "sarcosim/io/event_table.hpp"
#include "sarcosim/io/h5.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("an event log of several slices reads back event for event", "[io]") {
  test::TempDir dir;
  std::vector<Event> events;
  const std::uint32_t n = (1u << 21) + 12345;
  events.reserve(n);
  for (std::uint32_t k = 0; k < n; ++k)
    events.push_back({k * 7u, static_cast<std::int32_t>(k / 1000), static_cast<EventTypeId>(k % 13),
                      0, static_cast<float>(k) * 0.5f});
  const auto path = (dir / "events.h5").string();
  {
    h5::File f = h5::File::create(path);
    write_event_table(f.root().create_group("events"), events);
    f.close();
  }
  const h5::File f = h5::File::open_read(path);
  const std::vector<Event> back = read_event_table(f.root().open_group("events"));
  REQUIRE(back.size() == events.size());
  std::size_t differ = 0;
  for (std::size_t k = 0; k < n; ++k)
    differ += back[k].agent != events[k].agent || back[k].day != events[k].day ||
              back[k].type != events[k].type || back[k].detail != events[k].detail;
  CHECK(differ == 0);
}
