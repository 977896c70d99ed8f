#include "sarcosim/core/population.hpp"

#include "sarcosim/core/parallel.hpp"

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace sarcosim {

// From kMapFrom bytes a column is mapped from the kernel directly (the population's arena, or a
// mapping of its own): its untouched pages are then certainly not resident, whatever malloc's
// thresholds are at the time. Huge pages (2 MiB) are asked for because a column written here and
// there in 4 KiB pages first maps the shared zero page on a read and replaces it on the first
// write, flushing every thread's TLB, and because a first write to a 4 KiB page is slow on this
// project's machines (core/column_arena.hpp; docs/performance.md).
Population::Storage::Storage(std::size_t bytes, bool zero, std::size_t nth,
                             std::shared_ptr<ColumnArena> arena) {
  if (bytes < kMapFrom) {
    data_ = zero ? std::calloc(bytes, 1) : std::malloc(bytes);
    if (!data_) throw std::bad_alloc();
    return;
  }
  // Columns that all began on a page boundary had person i of every column at the same offset
  // in a page: the same set of the 8-way L1 cache, and loads that the core took for aliases of
  // earlier stores to another column ("4K aliasing"). A module's pass reads a dozen columns, so
  // each column starts a different number of cache lines into its page. (cachegrind, 32 KiB
  // 8-way L1, 150,000 people x half a year: 61.1 M L1 misses page-aligned, 58.2 M staggered.)
  constexpr std::size_t kLine = 64;
  const std::size_t offset = nth % (ColumnArena::kPage / kLine) * kLine;
  if (arena) {
    if (void* at = arena->take(bytes, offset)) {
      data_ = at;
      arena_ = std::move(arena);
      return;
    }
  }
  mapped_bytes_ = bytes + offset;
  mapping_ =
      ::mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping_ == MAP_FAILED) throw std::bad_alloc();
  ::madvise(mapping_, mapped_bytes_, MADV_HUGEPAGE);  // advice only: without it, 4 KiB pages
  data_ = static_cast<char*>(mapping_) + offset;
}

Population::Storage::~Storage() {
  if (arena_) return;  // the arena's memory goes with the arena
  if (mapping_)
    ::munmap(mapping_, mapped_bytes_);
  else
    std::free(data_);
}

void Population::in_chunks(std::size_t n,
                           const std::function<void(std::size_t, std::size_t)>& body) {
  parallel_chunks(n, std::size_t{1} << 16, body);
}

std::vector<Population::ColumnRef> Population::columns() const {
  std::vector<ColumnRef> out;
  for (const auto& c : columns_)
    out.push_back({c->info, c->data(), c->sparse()});
  return out;
}

Population::ColumnRef Population::column(std::string_view name) const {
  Column* c = const_cast<Column*>(find(name));
  if (!c) throw std::logic_error("no column named " + std::string(name));
  return {c->info, c->data(), c->sparse()};
}

float* Population::add_lookup(ColumnInfo info, std::string_view key, int key_bits, float init) {
  if (find(info.name) || find_lookup(info.name))
    throw std::logic_error("column declared twice: " + info.name);
  if (key_bits < 0 || key_bits > 16) throw std::logic_error("lookup key bits out of range");
  info.type = ColumnType::F32;
  info.traced = false;  // traces copy columns; a lookup has none to copy
  auto l = std::make_unique<Lookup>(Lookup{
      std::move(info), std::string(key), std::vector<float>(1u << key_bits, init), false, {}, {}});
  float* table = l->table.data();
  l->sparse_key = dynamic_cast<const SparseTyped<std::uint16_t>*>(find(key)) != nullptr;
  if (l->sparse_key)
    l->sparse = SparseLookupColumn(get_sparse<std::uint16_t>(key), table);
  else
    l->dense = LookupColumn(get<std::uint16_t>(key), table);  // throws if not a uint16 column
  lookups_.push_back(std::move(l));
  return table;
}

const Population::Lookup* Population::find_lookup(std::string_view name) const {
  for (const auto& l : lookups_)
    if (l->info.name == name) return l.get();
  return nullptr;
}

const Population::Lookup& Population::require_lookup(std::string_view name) const {
  const Lookup* l = find_lookup(name);
  if (!l) throw std::logic_error("no lookup column named " + std::string(name));
  return *l;
}

LookupColumn Population::lookup(std::string_view name) const {
  const Lookup& l = require_lookup(name);
  if (l.sparse_key) throw std::logic_error("lookup " + std::string(name) + " has a sparse mask");
  return l.dense;
}

SparseLookupColumn Population::sparse_lookup(std::string_view name) const {
  const Lookup& l = require_lookup(name);
  if (!l.sparse_key) throw std::logic_error("lookup " + std::string(name) + " has a dense mask");
  return l.sparse;
}

float* Population::lookup_table(std::string_view name) const {
  return const_cast<float*>(require_lookup(name).table.data());
}

std::vector<Population::LookupRef> Population::lookups() const {
  std::vector<LookupRef> out;
  for (const auto& l : lookups_)
    out.push_back({l->info, l->key_name, l->dense, l->sparse, l->sparse_key});
  return out;
}

std::size_t Population::element_size(ColumnType t) {
  switch (t) {
    case ColumnType::U8:
      return 1;
    case ColumnType::I16:
    case ColumnType::U16:
    case ColumnType::Coded16:
      return 2;
    case ColumnType::I32:
    case ColumnType::U32:
    case ColumnType::F32:
      return 4;
    case ColumnType::F64:
      return 8;
  }
  return 0;
}

double column_value(const Population::ColumnRef& c, std::size_t i) {
  if (c.sparse) {
    std::uint64_t raw = 0;  // room for any column type
    c.sparse->copy_out(i, 1, &raw);
    return column_value({c.info, &raw}, 0);
  }
  switch (c.info.type) {
    case ColumnType::U8:
      return static_cast<const std::uint8_t*>(c.data)[i];
    case ColumnType::I16:
      return static_cast<const std::int16_t*>(c.data)[i];
    case ColumnType::U16:
      return static_cast<const std::uint16_t*>(c.data)[i];
    case ColumnType::I32:
      return static_cast<const std::int32_t*>(c.data)[i];
    case ColumnType::U32:
      return static_cast<const std::uint32_t*>(c.data)[i];
    case ColumnType::F32:
      return static_cast<const float*>(c.data)[i];
    case ColumnType::F64:
      return static_cast<const double*>(c.data)[i];
    case ColumnType::Coded16:
      return c.info.coding.value(code_at(c.data, i));
  }
  return 0;
}

std::size_t Population::bytes_per_agent() const {
  std::size_t b = 0, bits = 0;
  for (const auto& c : columns_) {
    b += c->element_size();
    bits += c->sparse() != nullptr;
  }
  return b + (bits + 7) / 8;
}

CoreColumns CoreColumns::declare(Population& pop) {
  CoreColumns c;
  c.person = pop.add<std::uint32_t>(
      {"person",
       "",
       "the person's number: the order they were drawn in, or their row in a population CSV "
       "(people are stored oldest first; this number keys their random numbers)",
       {}});
  c.sex = pop.add<std::uint8_t>({"sex", "", "0 male, 1 female", {}});
  c.birth_day = pop.add<BirthDay16>(
      {"birth_day", "day", "day of birth relative to the start of the run (negative)", {}});
  c.alive = pop.add<std::uint8_t>({"alive", "", "1 alive, 0 dead", {}, true, true}, 1);
  c.death_day =
      pop.add<Day16>({"death_day", "day", "day of death (2147483647 while alive)", {}}, kNotDead);
  c.death_cause = pop.add_sparse<std::uint8_t>(
      {"death_cause", "", "index into /events/death_causes, 0 while alive", {}});
  c.height_m = pop.add<HeightM>({"height_m", "m", "standing height", {}});
  c.weight_kg = pop.add<WeightKg>({"weight_kg", "kg", "body weight", {}});
  c.alm_kg = pop.add<float>({"alm_kg", "kg", "appendicular lean mass (DXA)", {}, true, true});
  c.grip_kg = pop.add<float>({"grip_kg", "kg", "maximal grip strength", {}, true, true});
  c.alm_kg_start =
      pop.add<StartKg>({"alm_kg_start", "kg", "appendicular lean mass at the start", {}});
  c.grip_kg_start = pop.add<StartKg>({"grip_kg_start", "kg", "grip strength at the start", {}});
  return c;
}

CoreColumns CoreColumns::find(const Population& pop) {
  CoreColumns c;
  c.person = pop.get<std::uint32_t>("person");
  c.sex = pop.get<std::uint8_t>("sex");
  c.birth_day = pop.get<BirthDay16>("birth_day");
  c.alive = pop.get<std::uint8_t>("alive");
  c.death_day = pop.get<Day16>("death_day");
  c.death_cause = pop.get_sparse<std::uint8_t>("death_cause");
  c.height_m = pop.get<HeightM>("height_m");
  c.weight_kg = pop.get<WeightKg>("weight_kg");
  c.alm_kg = pop.get<float>("alm_kg");
  c.grip_kg = pop.get<float>("grip_kg");
  c.alm_kg_start = pop.get<StartKg>("alm_kg_start");
  c.grip_kg_start = pop.get<StartKg>("grip_kg_start");
  return c;
}

}  // namespace sarcosim
