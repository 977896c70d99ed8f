#include "sarcosim/core/philox_lanes.hpp"

#include <Random123/philox.h>

#include <stdexcept>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define SARCOSIM_PHILOX_VECTOR 1
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

#ifdef SARCOSIM_PHILOX_VECTOR
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

// The same rounds on AVX2 (Zen 3 and older machines have no AVX-512): 8 lanes a register, the 16
// lanes as two halves.
__attribute__((target("avx2"))) inline void mulhilo8(__m256i x, __m256i m, __m256i& lo,
                                                     __m256i& hi) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  constexpr int kOdd = 0xAA;
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), kOdd);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, kOdd);
}

__attribute__((target("avx2"))) void philox_avx2(PhiloxLanes& lanes, std::uint32_t key0,
                                                 std::uint32_t key1) {
  constexpr int kHalves = kPhiloxLanes / 8;  // side by side, so that their products overlap
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(PHILOX_M4x32_0)),
                m1 = _mm256_set1_epi32(static_cast<int>(PHILOX_M4x32_1));
  const auto word = [&lanes](int w, int h) {
    return reinterpret_cast<__m256i*>(lanes.word[w] + 8 * h);
  };
  __m256i c0[kHalves], c1[kHalves], c2[kHalves], c3[kHalves];
  for (int h = 0; h < kHalves; ++h) {
    c0[h] = _mm256_load_si256(word(0, h));
    c1[h] = _mm256_load_si256(word(1, h));
    c2[h] = _mm256_load_si256(word(2, h));
    c3[h] = _mm256_load_si256(word(3, h));
  }
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key0 += PHILOX_W32_0;
      key1 += PHILOX_W32_1;
    }
    const __m256i k0 = _mm256_set1_epi32(static_cast<int>(key0)),
                  k1 = _mm256_set1_epi32(static_cast<int>(key1));
    for (int h = 0; h < kHalves; ++h) {
      __m256i lo0, hi0, lo1, hi1;
      mulhilo8(c0[h], m0, lo0, hi0);
      mulhilo8(c2[h], m1, lo1, hi1);
      c0[h] = _mm256_xor_si256(_mm256_xor_si256(hi1, c1[h]), k0);
      c1[h] = lo1;
      c2[h] = _mm256_xor_si256(_mm256_xor_si256(hi0, c3[h]), k1);
      c3[h] = lo0;
    }
  }
  for (int h = 0; h < kHalves; ++h) {
    _mm256_store_si256(word(0, h), c0[h]);
    _mm256_store_si256(word(1, h), c1[h]);
    _mm256_store_si256(word(2, h), c2[h]);
    _mm256_store_si256(word(3, h), c3[h]);
  }
}
#endif

}  // namespace

bool philox_path_available(PhiloxPath path) {
  switch (path) {
#ifdef SARCOSIM_PHILOX_VECTOR
    case PhiloxPath::avx512:
      return __builtin_cpu_supports("avx512f");
    case PhiloxPath::avx2:
      return __builtin_cpu_supports("avx2");
#else
    case PhiloxPath::avx512:
    case PhiloxPath::avx2:
      return false;
#endif
    case PhiloxPath::one_by_one:
      return true;
  }
  return false;
}

void philox_lanes_by(PhiloxPath path, PhiloxLanes& lanes, std::uint32_t key0, std::uint32_t key1) {
  if (!philox_path_available(path))  // its instructions would stop the program (SIGILL)
    throw std::invalid_argument("philox_lanes_by: this machine has no such vector instructions");
#ifdef SARCOSIM_PHILOX_VECTOR
  if (path == PhiloxPath::avx512) return philox_avx512(lanes, key0, key1);
  if (path == PhiloxPath::avx2) return philox_avx2(lanes, key0, key1);
#endif
  philox_one_by_one(lanes, key0, key1);
}

void philox_lanes(PhiloxLanes& lanes, std::uint32_t key0, std::uint32_t key1) {
  using Path = void (*)(PhiloxLanes&, std::uint32_t, std::uint32_t);
  static const Path widest = []() -> Path {
#ifdef SARCOSIM_PHILOX_VECTOR
    if (philox_path_available(PhiloxPath::avx512)) return philox_avx512;
    if (philox_path_available(PhiloxPath::avx2)) return philox_avx2;
#endif
    return philox_one_by_one;
  }();
  widest(lanes, key0, key1);
}

}  // namespace sarcosim
