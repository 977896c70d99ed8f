// `yes ? a : b` without a branch, for choices that depend on the person (a sixth of people one
// way, the rest the other): the compiler makes a plain ?: a branch where it guesses the choice
// predictable, and each mispredicted one costs the core about 15 cycles. Both values are worked
// out; the choice is made on their bits, so the result is a or b exactly.
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace sarcosim {

template <class T>
constexpr T select(bool yes, T a, T b) {
  static_assert(std::is_trivially_copyable_v<T>);
  static_assert(sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);
  using Bits = std::conditional_t<sizeof(T) == 2, std::uint16_t,
                                  std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>;
  const auto mask = static_cast<Bits>(Bits{0} - Bits{yes});
  return std::bit_cast<T>(static_cast<Bits>((std::bit_cast<Bits>(a) & mask) |
                                            (std::bit_cast<Bits>(b) & static_cast<Bits>(~mask))));
}

}  // namespace sarcosim
