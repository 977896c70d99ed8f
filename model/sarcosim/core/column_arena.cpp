#include "sarcosim/core/column_arena.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>

namespace sarcosim {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t round_up(std::size_t x, std::size_t to) {
  return (x + to - 1) / to * to;
}
}  // namespace

ColumnArena::ColumnArena(std::size_t reserve_bytes) {
  if (reserve_bytes == 0) return;
  const std::size_t wanted = round_up(reserve_bytes, kHugePage);
  mapped_bytes_ = wanted + kHugePage;  // room to start on a 2 MiB boundary
  // Inaccessible until taken: a mapping without write access is not charged against the
  // kernel's commit limit, so under strict overcommit (vm.overcommit_memory = 2) the reservation
  // costs nothing until columns are taken from it, as a mapping per column did.
  void* m =
      ::mmap(nullptr, mapped_bytes_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) {
    mapped_bytes_ = 0;
    return;  // take() returns null: columns map their own memory
  }
  mapping_ = m;
  const auto start = reinterpret_cast<std::uintptr_t>(m);
  base_ = static_cast<char*>(m) + (round_up(start, kHugePage) - start);
  reserved_ = wanted;
  ::madvise(base_, reserved_, MADV_HUGEPAGE);  // advice only: without it, 4 KiB pages
}

ColumnArena::~ColumnArena() {
  if (mapping_) ::munmap(mapping_, mapped_bytes_);
}

void* ColumnArena::take(std::size_t bytes, std::size_t offset) {
  if (!base_ || offset >= kPage) return nullptr;
  const std::size_t at = round_up(used_, kPage) + offset;
  if (at + bytes > reserved_ || at + bytes < at) return nullptr;
  // Made writable in whole huge pages, so that the writable part always ends on a 2 MiB boundary
  // and every huge page of it can be one (a page cut by the end of a mapping cannot).
  const std::size_t open = std::min(round_up(at + bytes, kHugePage), reserved_);
  if (open > writable_) {
    if (::mprotect(base_ + writable_, open - writable_, PROT_READ | PROT_WRITE) != 0)
      return nullptr;  // over the commit limit: the caller maps the column itself (or fails)
    writable_ = open;
  }
  used_ = at + bytes;
  return base_ + at;
}

}  // namespace sarcosim
