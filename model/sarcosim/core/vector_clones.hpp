// Kernels compiled for AVX-512, AVX2 and plain x86-64, the widest the machine has chosen at load
// time (GCC builds; sanitizer and clang builds use one). Every variant does the same IEEE
// operations in the same order (no contraction into FMA: -ffp-contract=off), so the bits are the
// same on any machine.
#pragma once

#if defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define SARCOSIM_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SARCOSIM_VECTOR_CLONES
#endif
