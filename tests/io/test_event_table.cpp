// The event log is written in slices of 2^20 events (io/event_table.cpp): a log longer than two
// slices, with a partial last one, must read back exactly.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sarcosim/core/errors.hpp"
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
    events.push_back({k * 7u, static_cast<std::uint16_t>(k / 1000),
                      static_cast<EventTypeId>(k % 13), static_cast<float>(k) * 0.5f});
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

TEST_CASE("an event table with a day outside any run, or columns of unequal length, is refused",
          "[io][errors]") {
  test::TempDir dir;
  const auto path = (dir / "bad.h5").string();
  {
    h5::File f = h5::File::create(path);
    const h5::Group bad_day = f.root().create_group("bad_day");
    bad_day.write("agent", std::vector<std::uint32_t>{1, 2}, {2});
    bad_day.write("day", std::vector<std::int32_t>{3, 70000}, {2});
    bad_day.write("type", std::vector<std::uint16_t>{1, 1}, {2});
    bad_day.write("detail", std::vector<float>{0, 0}, {2});
    const h5::Group short_day = f.root().create_group("short_day");
    short_day.write("agent", std::vector<std::uint32_t>{1, 2}, {2});
    short_day.write("day", std::vector<std::int32_t>{3}, {1});
    short_day.write("type", std::vector<std::uint16_t>{1, 1}, {2});
    short_day.write("detail", std::vector<float>{0, 0}, {2});
    f.close();
  }
  const h5::File f = h5::File::open_read(path);
  CHECK_THROWS_AS(read_event_table(f.root().open_group("bad_day")), IoError);
  CHECK_THROWS_WITH(read_event_table(f.root().open_group("bad_day")),
                    Catch::Matchers::Contains("has day 70000"));
  CHECK_THROWS_WITH(read_event_table(f.root().open_group("short_day")),
                    Catch::Matchers::Contains("differ in length"));
}

TEST_CASE("an event log appended in pieces reads back event for event, compressed or not", "[io]") {
  // Pieces of uneven sizes across the chunks (a run appends one period at a time): of 65,536
  // events when the log is expected long, of 1,024 when it was expected short.
  const int deflate = GENERATE(0, 4);
  const std::size_t expected = GENERATE(std::size_t{300000}, std::size_t{0});
  test::TempDir dir;
  std::vector<Event> events;
  for (std::uint32_t k = 0; k < 300000; ++k)
    events.push_back({k * 3u, static_cast<std::uint16_t>(k / 100), static_cast<EventTypeId>(k % 7),
                      static_cast<float>(k) * 0.25f});
  const auto path = (dir / "events.h5").string();
  {
    h5::File f = h5::File::create(path);
    h5::Group root = f.root();
    root.set_deflate(deflate);
    const h5::Group g = root.create_group("events");
    EventTableWriter writer(g, expected);
    std::size_t first = 0;
    for (const std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{65535},
                                    std::size_t{65537}, std::size_t{100}, std::size_t{0}}) {
      writer.append(std::span<const Event>(events).subspan(first, piece));
      first += piece;
    }
    writer.append(std::span<const Event>(events).subspan(first));
    f.close();
  }
  const h5::File f = h5::File::open_read(path);
  const std::vector<Event> back = read_event_table(f.root().open_group("events"));
  REQUIRE(back.size() == events.size());
  std::size_t differ = 0;
  for (std::size_t k = 0; k < events.size(); ++k)
    differ += back[k].agent != events[k].agent || back[k].day != events[k].day ||
              back[k].type != events[k].type || back[k].detail != events[k].detail;
  CHECK(differ == 0);
}

TEST_CASE("a short event log's table takes about the room of its events", "[io]") {
  // HDF5 gives a chunk its whole room: with 65,536-event chunks, 500 events took 0.9 MB.
  CHECK(event_chunk(0) == 1024);
  CHECK(event_chunk(500) == 1024);
  CHECK(event_chunk(100000) == 16384);
  CHECK(event_chunk(std::size_t{1} << 30) == 65536);
  test::TempDir dir;
  std::vector<Event> events;
  for (std::uint32_t k = 0; k < 500; ++k)
    events.push_back({k, static_cast<std::uint16_t>(k / 2), EventTypeId{1}, 1.0f});
  const auto path = dir / "short.h5";
  {
    h5::File f = h5::File::create(path.string());
    const h5::Group g = f.root().create_group("events");
    EventTableWriter writer(g, events.size());
    writer.append(events);
    f.close();
  }
  // 14 bytes an event, a chunk of 1,024 per column (14 KB), and HDF5's own few KB.
  CHECK(std::filesystem::file_size(path) < 40000);
}
