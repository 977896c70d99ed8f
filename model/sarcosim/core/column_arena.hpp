// Address space for a population's large columns: one mapping from the kernel, reserved for the
// population's lifetime, from which the columns are taken one after another.
//
// Why: on this project's machines (a paravirtualised guest) a first write to a 4 KiB page costs
// about 19 us, to a 2 MiB huge page about 0.3-0.6 us per 4 KiB (docs/performance.md). A column of
// its own mapping gets huge pages only for the 2 MiB-aligned stretches inside it, so a column of
// 1-4 MB (a million people) got almost none. Taken from one 2 MiB-aligned, huge-page-advised
// reservation, the columns lie end to end on huge pages whatever their sizes.
//
// The reservation is address space only, inaccessible until columns are taken from it (then it is
// made writable in whole huge pages): pages never written stay free, as they did with a mapping
// per column, and nothing is charged against a strict commit limit before it is needed. When the
// reservation is used up or refused (an address-space limit), take() returns null and the caller
// maps the column by itself.
#pragma once

#include <cstddef>

namespace sarcosim {

class ColumnArena {
 public:
  explicit ColumnArena(std::size_t reserve_bytes);
  ColumnArena(const ColumnArena&) = delete;
  ColumnArena& operator=(const ColumnArena&) = delete;
  ~ColumnArena();

  // `bytes` of zeroed memory starting `offset` bytes (below 4 KiB) into a 4 KiB page, or null when
  // the reservation cannot hold them. Not thread-safe: columns are declared one at a time.
  void* take(std::size_t bytes, std::size_t offset);

  std::size_t reserved() const { return reserved_; }

  static constexpr std::size_t kPage = 4096;  // bytes: `offset` is below it

 private:
  void* mapping_ = nullptr;
  std::size_t mapped_bytes_ = 0;
  char* base_ = nullptr;                                // 2 MiB-aligned start within the mapping
  std::size_t reserved_ = 0, used_ = 0, writable_ = 0;  // bytes from base_
};

}  // namespace sarcosim
