#include "sarcosim/core/event_hand_off.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

namespace sarcosim {

EventHandOff::EventHandOff(Sink sink, std::size_t batch)
    : sink_(std::move(sink)), batch_(std::max<std::size_t>(batch, 1)) {
  filling_.reserve(batch_);
}

EventHandOff::~EventHandOff() {
  if (in_flight_.valid()) in_flight_.wait();
}

void EventHandOff::add(const Event* first, std::size_t n) {
  while (n > 0) {
    const std::size_t take = std::min(n, batch_ - filling_.size());
    filling_.insert(filling_.end(), first, first + take);
    first += take;
    n -= take;
    if (filling_.size() == batch_) hand_on();
  }
}

void EventHandOff::flush() {
  if (!filling_.empty()) hand_on();
}

void EventHandOff::wait() {
  if (in_flight_.valid()) in_flight_.get();
}

void EventHandOff::hand_on() {
  wait();  // the batch before, so that the sink is called once at a time, in order
  std::swap(filling_, sent_);
  filling_.clear();
  filling_.reserve(batch_);
  if (threads_) try {
      in_flight_ = std::async(std::launch::async, [this] { sink_(sent_); });
      return;
    } catch (const std::system_error&) {
      threads_ = false;  // no thread to be had (a limit on processes): in turn from now on
    }
  sink_(sent_);
}

}  // namespace sarcosim
