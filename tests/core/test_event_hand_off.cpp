#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sarcosim/core/event_hand_off.hpp"

using namespace sarcosim;

namespace {

std::vector<Event> numbered(std::size_t n) {
  std::vector<Event> events(n);
  for (std::size_t k = 0; k < n; ++k)
    events[k] = {static_cast<std::uint32_t>(k), static_cast<std::uint16_t>(k % 1000), 1,
                 static_cast<float>(k)};
  return events;
}

}  // namespace

TEST_CASE("events handed off reach the sink whole, in order, in batches, one call at a time",
          "[core]") {
  const std::vector<Event> events = numbered(10000);
  std::vector<std::uint32_t> received;
  std::size_t calls = 0, largest = 0;
  std::atomic<int> inside = 0;
  bool overlapped = false;
  {
    EventHandOff hand_off(
        [&](std::span<const Event> batch) {
          overlapped |= ++inside > 1;
          std::this_thread::sleep_for(std::chrono::microseconds(200));  // long enough to overlap
          for (const Event& e : batch)
            received.push_back(e.agent);
          ++calls;
          largest = std::max(largest, batch.size());
          --inside;
        },
        97);
    // Pieces of every size from 0 up, cut anywhere across batches.
    std::size_t at = 0;
    for (std::size_t n = 0; at < events.size(); ++n) {
      const std::size_t take = std::min(n, events.size() - at);
      hand_off.add(events.data() + at, take);
      at += take;
    }
    hand_off.flush();
    hand_off.flush();  // nothing more: no empty batch
    hand_off.wait();
    REQUIRE(received.size() == events.size());
  }
  for (std::size_t k = 0; k < received.size(); ++k)
    REQUIRE(received[k] == k);
  CHECK_FALSE(overlapped);
  CHECK(largest == 97);
  CHECK(calls == (events.size() + 96) / 97);
}

TEST_CASE("a sink's error reaches whoever hands off or waits next", "[core][errors]") {
  const std::vector<Event> events = numbered(10);
  int calls = 0;
  EventHandOff hand_off(
      [&](std::span<const Event>) {
        if (++calls == 2) throw std::runtime_error("disk full");
      },
      4);
  hand_off.add(events.data(), 4);  // the first batch goes
  hand_off.add(events.data(), 4);  // the second fails in its thread
  CHECK_THROWS_WITH(hand_off.wait(), "disk full");
  hand_off.add(events.data(), 3);
  hand_off.flush();
  hand_off.wait();
  CHECK(calls == 3);
}

TEST_CASE("a hand-off ended early waits for the batch in the sink", "[core]") {
  const std::vector<Event> events = numbered(5);
  std::atomic<bool> done = false;
  {
    EventHandOff hand_off(
        [&](std::span<const Event>) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          done = true;
        },
        100);
    hand_off.add(events.data(), events.size());
    hand_off.flush();
  }  // destroyed without wait(): as when a run stops on an error or a signal
  CHECK(done);
}
