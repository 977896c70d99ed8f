// The event log handed to a sink (the result file's event table) in batches, each on a thread of
// its own while the run goes on: writing a period's events overlaps the next period's steps,
// where the run's other thread used to wait for it (0.05-0.06 s of 1 million people x 1 year on 2
// threads). One batch in flight at most, so the sink is called once at a time, in order.
#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <span>
#include <vector>

#include "sarcosim/core/recording.hpp"

namespace sarcosim {

class EventHandOff {
 public:
  using Sink = std::function<void(std::span<const Event>)>;

  // Batches of at most `batch` events (at least 1).
  EventHandOff(Sink sink, std::size_t batch);
  EventHandOff(const EventHandOff&) = delete;
  EventHandOff& operator=(const EventHandOff&) = delete;
  // Waits for the batch in flight; an error of its is dropped (call wait() to see it).
  ~EventHandOff();

  // Adds events after those added before; a full batch is handed on.
  void add(const Event* first, std::size_t n);
  // Hands on the events added and not yet handed on, if any.
  void flush();
  // Waits until every batch handed on is in the sink; rethrows what the sink threw.
  void wait();

 private:
  void hand_on();

  Sink sink_;
  std::size_t batch_;
  std::vector<Event> filling_, sent_;  // the batch being filled, and the one in the sink
  std::future<void> in_flight_;
  bool threads_ = true;  // false once no thread was to be had: batches go in turn
};

}  // namespace sarcosim
