// The event log as four columns of an HDF5 group (agent, day, type, detail), shared by result
// and checkpoint files.
#pragma once

#include <span>
#include <vector>

#include "sarcosim/core/recording.hpp"
#include "sarcosim/io/h5.hpp"

namespace sarcosim {

// Written in slices of a million events: a log can hold hundreds of millions, and a whole copy of
// each field would add 14 bytes per event to the peak memory.
void write_event_table(const h5::Group& g, std::span<const Event> events);
std::vector<Event> read_event_table(const h5::Group& g);

}  // namespace sarcosim
