#include "sarcosim/core/malloc_reuse.hpp"

#include <cstdlib>  // defines __GLIBC__ with glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sarcosim {

void keep_freed_memory_for_reuse() {
#if defined(__GLIBC__)
  // Blocks up to 32 MiB (glibc's largest threshold) from the heaps; a heap keeps up to 1 GiB free.
  // Peak memory is unchanged: freed memory is reused before a heap grows.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace sarcosim
