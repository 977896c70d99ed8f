// glibc's malloc gives large freed blocks back to the kernel: blocks from 128 KiB are mappings of
// their own, and a heap's free top beyond 128 KiB is trimmed. A buffer made again each period (the
// event log's slices on their way to the file, a module's scratch) then takes fresh pages each
// time, and a first write to a 4 KiB page costs about 19 us on this project's machines
// (core/column_arena.hpp; docs/performance.md). Programs that run simulations call this first, so
// that what is freed is kept for the next allocation instead.
#pragma once

namespace sarcosim {

void keep_freed_memory_for_reuse();

}  // namespace sarcosim
