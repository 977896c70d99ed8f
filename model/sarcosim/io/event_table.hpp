// The event log as four columns of an HDF5 group (agent, day, type, detail), shared by result
// and checkpoint files.
#pragma once

#include <span>
#include <vector>

#include "sarcosim/core/recording.hpp"
#include "sarcosim/io/h5.hpp"

namespace sarcosim {

// An event table that grows as events are appended: a result file's log is written period by
// period as the run goes, and never held whole (at 10 million people for 30 years it would be
// gigabytes). Each append converts its events a slice at a time: no copy of the log.
class EventTableWriter {
 public:
  // `group` must outlive the writer. `expected_events`, a guess of the log's length, sizes the
  // columns' chunks (event_chunk).
  EventTableWriter(const h5::Group& group, std::size_t expected_events);
  void append(std::span<const Event> events);

 private:
  const h5::Group& group_;
  h5::Handle agent_, day_, type_, detail_;
};

// Events per chunk of each column for a log of about `expected_events`: HDF5 gives the last chunk
// its whole room, so a chunk of 65,536 events, right for a large run's log, would be most of a
// small run's file (0.9 MB of padding for 500 events: 2.6 GB for a sweep of 2,000 such runs). An
// eighth of the log, a power of two in [1024, 65536], wastes at most an eighth of the log or 14 KB.
std::size_t event_chunk(std::size_t expected_events);

// A whole log at once (checkpoints).
void write_event_table(const h5::Group& g, std::span<const Event> events);
std::vector<Event> read_event_table(const h5::Group& g);

}  // namespace sarcosim
