// tbb::parallel_for over [0, n) in chunks of `grain`, with the ordering TBB gives stated to
// ThreadSanitizer (core/tsan.hpp): everything before the call happens before each chunk, and
// each chunk before the call returns. body(first, last) runs one chunk.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>

#include "sarcosim/core/tsan.hpp"

namespace sarcosim {

template <class Body>
void parallel_chunks(std::size_t n, std::size_t grain, const Body& body) {
  int order = 0;  // a token for the ordering TBB gives
  tsan::release(&order);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      tsan::acquire(&order);
                      body(r.begin(), r.end());
                      tsan::release(&order);
                    });
  tsan::acquire(&order);
}

}  // namespace sarcosim
