// select(): a or b exactly, bit for bit, chosen without a branch.
#include <catch2/catch.hpp>

#include <bit>
#include <cstdint>
#include <limits>

#include "sarcosim/core/select.hpp"

using namespace sarcosim;

TEST_CASE("select gives one of its two values, bit for bit", "[select]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::bit_cast<std::uint64_t>(select(true, -0.0, 1.0)) ==
        std::bit_cast<std::uint64_t>(-0.0));
  CHECK(std::bit_cast<std::uint64_t>(select(false, 1.0, nan)) == std::bit_cast<std::uint64_t>(nan));
  CHECK(select(true, 2.5f, -1.0f) == 2.5f);
  CHECK(select(false, 2.5f, -1.0f) == -1.0f);
  CHECK(select(true, std::int32_t{-7}, std::int32_t{9}) == -7);
  CHECK(select(false, std::int32_t{-7}, std::int32_t{9}) == 9);
  CHECK(select(true, std::int16_t{-2}, std::int16_t{3}) == -2);
  CHECK(select(false, std::int16_t{-2}, std::int16_t{3}) == 3);
  static_assert(select(true, 1, 2) == 1 && select(false, 1, 2) == 2);  // usable in constexpr
}
