#include "sarcosim/core/philox_lanes.hpp"

#include <Random123/philox.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define SARCOSIM_PHILOX_AVX512 1
#include <immintrin.h>
// GCC 12 warns inside its own AVX-512 intrinsics, which start from an undefined register on
// purpose (GCC PR 105593).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace sarcosim {
namespace {

void philox_one_by_one(PhiloxLanes& lanes, std::uint32_t key0, std::uint32_t key1) {
  using Philox = r123::Philox4x32;
  const Philox::key_type key = {{key0, key1}};
  for (int j = 0; j < kPhiloxLanes; ++j) {
    Philox::ctr_type ctr = {
        {lanes.word[0][j], lanes.word[1][j], lanes.word[2][j], lanes.word[3][j]}};
    ctr = Philox{}(ctr, key);
    for (int w = 0; w < 4; ++w)
      lanes.word[w][j] = ctr[w];
  }
}

#ifdef SARCOSIM_PHILOX_AVX512
// Low and high 32 bits of x * m for 16 lanes: vpmuludq multiplies the even 32-bit lanes (the low
// halves of the 64-bit lanes), so the odd ones are shifted down and multiplied apart.
__attribute__((target("avx512f"))) inline void mulhilo16(__m512i x, __m512i m, __m512i& lo,
                                                         __m512i& hi) {
  const __m512i even = _mm512_mul_epu32(x, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);
  constexpr __mmask16 kOdd = 0xAAAA;
  lo = _mm512_mask_blend_epi32(kOdd, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(even, 32), odd);
}

__attribute__((target("avx512f"))) void philox_avx512(PhiloxLanes& lanes, std::uint32_t key0,
                                                      std::uint32_t key1) {
  __m512i c0 = _mm512_load_si512(lanes.word[0]), c1 = _mm512_load_si512(lanes.word[1]),
          c2 = _mm512_load_si512(lanes.word[2]), c3 = _mm512_load_si512(lanes.word[3]);
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(PHILOX_M4x32_0)),
                m1 = _mm512_set1_epi32(static_cast<int>(PHILOX_M4x32_1));
  for (int round = 0; round < 10; ++round) {  // Philox4x32-10; the key moves on between rounds
    if (round > 0) {
      key0 += PHILOX_W32_0;
      key1 += PHILOX_W32_1;
    }
    __m512i lo0, hi0, lo1, hi1;
    mulhilo16(c0, m0, lo0, hi0);
    mulhilo16(c2, m1, lo1, hi1);
    const __m512i k0 = _mm512_set1_epi32(static_cast<int>(key0)),
                  k1 = _mm512_set1_epi32(static_cast<int>(key1));
    c0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), k0);
    c1 = lo1;
    c2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), k1);
    c3 = lo0;
  }
  _mm512_store_si512(lanes.word[0], c0);
  _mm512_store_si512(lanes.word[1], c1);
  _mm512_store_si512(lanes.word[2], c2);
  _mm512_store_si512(lanes.word[3], c3);
}
#endif

}  // namespace

void philox_lanes(PhiloxLanes& lanes, std::uint32_t key0, std::uint32_t key1) {
#ifdef SARCOSIM_PHILOX_AVX512
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  if (avx512) return philox_avx512(lanes, key0, key1);
#endif
  philox_one_by_one(lanes, key0, key1);
}

}  // namespace sarcosim
