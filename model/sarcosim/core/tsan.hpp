// ThreadSanitizer annotations. Debian's oneTBB is not built with TSan, so the ordering its
// scheduler gives (everything before parallel_for happens before each task; each task before
// parallel_for returns) is invisible to TSan. These calls state those edges; they compile to
// nothing outside TSan builds.
#pragma once

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
namespace sarcosim::tsan {
inline void release(void* p) {
  __tsan_release(p);
}
inline void acquire(void* p) {
  __tsan_acquire(p);
}
}  // namespace sarcosim::tsan
#else
namespace sarcosim::tsan {
inline void release(void*) {}
inline void acquire(void*) {}
}  // namespace sarcosim::tsan
#endif
