// Kernels compiled for AVX-512, AVX2 and plain x86-64, the widest the machine has chosen at load
// time (GCC builds; sanitizer and clang builds use one). Every variant does the same IEEE
// operations in the same order (no contraction into FMA: -ffp-contract=off), so the bits are the
// same on any machine.
#pragma once

#include <cstdint>

#if defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define SARCOSIM_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SARCOSIM_VECTOR_CLONES
#endif

namespace sarcosim {

// Lanes that run different numbers of days (quiet stretches of different lengths): lane j's factor
// on day d is x while d < days[j], and `past` after, a factor that leaves the value exactly as it
// is (a share kept of 1, a rate of 0). Worked out in a loop of its own, so that the day's
// arithmetic has no condition in it and stays in vector registers.
template <class T, int N>
inline void lane_factors(T (&out)[N], const T (&x)[N], T past, const std::int32_t (&days)[N],
                         std::int32_t d) {
  for (int j = 0; j < N; ++j)
    out[j] = d < days[j] ? x[j] : past;
}
template <class T, int N>
inline void lane_factors(T (&out)[N], T x, T past, const std::int32_t (&days)[N], std::int32_t d) {
  for (int j = 0; j < N; ++j)
    out[j] = d < days[j] ? x : past;
}

// The days every lane still runs: until then a day needs no lane_factors (most lanes run to the
// period's end).
template <int N>
inline std::int32_t fewest_days(const std::int32_t (&days)[N]) {
  std::int32_t fewest = days[0];
  for (const std::int32_t d : days)
    fewest = d < fewest ? d : fewest;
  return fewest;
}

}  // namespace sarcosim
