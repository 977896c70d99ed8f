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
  explicit EventTableWriter(const h5::Group& group);  // which must outlive the writer
  void append(std::span<const Event> events);

 private:
  const h5::Group& group_;
  h5::Handle agent_, day_, type_, detail_;
};

// A whole log at once (checkpoints).
void write_event_table(const h5::Group& g, std::span<const Event> events);
std::vector<Event> read_event_table(const h5::Group& g);

}  // namespace sarcosim
