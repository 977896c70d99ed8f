// Agent state as columns (structure of arrays). Every column has a name, unit and description so
// that the snapshot writer, checkpoints and docs can list it without knowing who declared it.
// Core columns are made here; a module declares its own columns in attach(), so a new mechanism
// adds columns without editing this file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sarcosim/core/column_arena.hpp"
#include "sarcosim/core/column_type.hpp"
#include "sarcosim/core/day16.hpp"
#include "sarcosim/core/fixed16.hpp"
#include "sarcosim/core/sparse_column.hpp"

namespace sarcosim {

// A per-agent value that is a function of a bit-mask column (conditions, programmes): a table
// shared by everyone, indexed by the mask, instead of a column each. Read like a column.
template <class Key>
class BasicLookupColumn {
 public:
  BasicLookupColumn() = default;
  BasicLookupColumn(Key key, const float* table) : key_(key), table_(table) {}
  float operator[](std::size_t i) const { return table_[key_[i]]; }

 private:
  Key key_{};
  const float* table_ = nullptr;
};
// By a dense mask (the conditions).
using LookupColumn = BasicLookupColumn<const std::uint16_t*>;
// By a sparse mask (the programmes': 0 for most people, and for everyone without programmes).
using SparseLookupColumn = BasicLookupColumn<Sparse<std::uint16_t>>;

struct ColumnInfo {
  std::string name;  // "alm_kg", "demography.death_day"
  std::string unit;
  std::string description;
  ColumnType type;
  bool in_snapshot = true;  // written to the result file's final snapshot
  bool traced = false;      // written daily for traced agents (--trace)
  Coding coding = {};       // a Coded16 column's (set by Population::add)
};

class Population {
 public:
  explicit Population(std::size_t size) : size_(size) {}
  Population(const Population&) = delete;
  Population& operator=(const Population&) = delete;
  Population(Population&&) = default;
  Population& operator=(Population&&) = default;

  std::size_t size() const { return size_; }

  // Declares a column filled with `init`; returns its data. Names are unique.
  template <class T>
  T* add(ColumnInfo info, T init = T{}) {
    if (find(info.name) || find_lookup(info.name))
      throw std::logic_error("column declared twice: " + info.name);
    info.type = column_type_of<T>();
    if constexpr (Coded16Value<T>) info.coding = T::kCoding;
    auto col = std::make_unique<Typed<T>>(std::move(info), size_, init, columns_.size(),
                                          arena_for(size_ * sizeof(T)));
    T* data = col->values();
    columns_.push_back(std::move(col));
    return data;
  }

  // A column declared by someone else (core or another module); throws if absent or mistyped.
  template <class T>
  T* get(std::string_view name) const {
    return typed<Typed<T>>(name)->values();
  }

  // Declares a sparse column (core/sparse_column.hpp): 0 for everyone at first, and for all but a
  // few people at any time (a short-term state). It costs a bit a person, and a few bytes for
  // each person with a value.
  template <class T>
  Sparse<T> add_sparse(ColumnInfo info) {
    if (find(info.name) || find_lookup(info.name))
      throw std::logic_error("column declared twice: " + info.name);
    info.type = column_type_of<T>();
    if constexpr (Coded16Value<T>) info.coding = T::kCoding;
    auto col = std::make_unique<SparseTyped<T>>(std::move(info), size_);
    Sparse<T> handle(&col->values);
    columns_.push_back(std::move(col));
    return handle;
  }
  template <class T>
  Sparse<T> get_sparse(std::string_view name) const {
    return Sparse<T>(&typed<SparseTyped<T>>(name)->values);
  }

  bool has(std::string_view name) const { return find(name) != nullptr; }

  // Declares a lookup column: agent i's value is table[key[i]], where `key` is a uint16 column
  // (dense or sparse) already declared whose values stay below 2^key_bits. Returns the table
  // (2^key_bits entries, filled with `init`) for its owner to fill before the run; it costs no
  // memory per agent.
  float* add_lookup(ColumnInfo info, std::string_view key, int key_bits, float init);
  // A lookup by a dense mask, or by a sparse one (throws if the mask is of the other kind).
  LookupColumn lookup(std::string_view name) const;
  SparseLookupColumn sparse_lookup(std::string_view name) const;
  // The table of a lookup column, for modules that contribute to it (programmes' effects).
  float* lookup_table(std::string_view name) const;

  // For readers of every lookup (the snapshot writer, tests), whatever its mask's kind.
  struct LookupRef {
    const ColumnInfo& info;
    const std::string& key_name;
    LookupColumn dense;
    SparseLookupColumn sparse;
    bool sparse_key;
    float operator[](std::size_t i) const { return sparse_key ? sparse[i] : dense[i]; }
  };
  std::vector<LookupRef> lookups() const;

  // A dense column's values (`data`), or a sparse column's (`sparse`; `data` is null).
  struct ColumnRef {
    const ColumnInfo& info;
    void* data;
    SparseValues* sparse = nullptr;
  };
  std::vector<ColumnRef> columns() const;
  // One column by name, for readers that are not its owner and need not know its type
  // (column_value below); throws if absent.
  ColumnRef column(std::string_view name) const;
  static std::size_t element_size(ColumnType t);
  // Sparse columns drop the places of values set back to 0, for agents [first, last) (whole
  // pages of core/sparse_column.hpp; blocks of the simulation are).
  void settle(std::size_t first, std::size_t last) const {
    for (const auto& c : columns_)
      if (SparseValues* s = c->sparse()) s->settle(first, last);
  }
  // Bytes of state per agent: dense columns' values, and a bit for each sparse column (rounded up
  // to whole bytes; the few values they hold are not counted).
  std::size_t bytes_per_agent() const;

 private:
  struct Column {
    explicit Column(ColumnInfo i) : info(std::move(i)) {}
    virtual ~Column() = default;
    virtual void* data() = 0;
    virtual std::size_t element_size() const = 0;
    virtual SparseValues* sparse() { return nullptr; }
    ColumnInfo info;
  };
  // A column's memory. One that starts at 0 takes fresh pages from the kernel, which are 0 and
  // cost nothing until touched: a page never written or read is never resident. Reading one may
  // cost a page (this project's machines run a kernel that gives a fresh page, even a huge one, to
  // a read, where others map the shared zero page), so a column that stays 0 for most people but
  // is read for everyone (the programmes' mask, the study flag) is a sparse column instead.
  // The `nth` column declared starts nth % 64 cache lines into its first page (population.cpp).
  // Large columns are taken from the population's arena (core/column_arena.hpp) when it has room.
  class Storage {
   public:
    Storage(std::size_t bytes, bool zero, std::size_t nth, std::shared_ptr<ColumnArena> arena);
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
    ~Storage();
    void* data() const { return data_; }

   private:
    void* data_;
    void* mapping_ = nullptr;
    std::size_t mapped_bytes_ = 0;
    std::shared_ptr<ColumnArena> arena_;  // kept while its memory is in use
  };
  template <class T>
  struct Typed final : Column {
    static_assert(std::is_trivially_copyable_v<T>, "columns are moved as raw bytes");
    Typed(ColumnInfo i, std::size_t n, T init, std::size_t nth, std::shared_ptr<ColumnArena> arena)
        : Column(std::move(i)),
          storage(std::max<std::size_t>(n, 1) * sizeof(T), zero(init), nth, std::move(arena)) {
      if (!zero(init))
        in_chunks(n, [&](std::size_t first, std::size_t last) {
          std::uninitialized_fill(values() + first, values() + last, init);
        });
    }
    void* data() override { return storage.data(); }
    std::size_t element_size() const override { return sizeof(T); }
    T* values() const { return static_cast<T*>(storage.data()); }
    static bool zero(const T& init) {
      unsigned char bytes[sizeof(T)];
      std::memcpy(bytes, &init, sizeof(T));
      for (const unsigned char b : bytes)
        if (b != 0) return false;
      return true;
    }
    Storage storage;
  };
  template <class T>
  struct SparseTyped final : Column {
    SparseTyped(ColumnInfo i, std::size_t n) : Column(std::move(i)), values(n) {}
    void* data() override { return nullptr; }
    std::size_t element_size() const override { return 0; }
    SparseValues* sparse() override { return &values; }
    SparseColumn<T> values;
  };
  template <class C>
  C* typed(std::string_view name) const {
    const Column* c = find(name);
    if (!c) throw std::logic_error("no column named " + std::string(name));
    auto* t = dynamic_cast<const C*>(c);
    if (!t) throw std::logic_error("column " + std::string(name) + " has another type or kind");
    return const_cast<C*>(t);
  }
  // body(first, last) over [0, n) in chunks, in parallel in the caller's task arena (filling a
  // column's first values: at 10 million people, page faults and writes of tens of megabytes).
  static void in_chunks(std::size_t n, const std::function<void(std::size_t, std::size_t)>& body);
  const Column* find(std::string_view name) const {
    for (const auto& c : columns_)
      if (c->info.name == name) return c.get();
    return nullptr;
  }

  struct Lookup {
    ColumnInfo info;
    std::string key_name;
    std::vector<float> table;
    bool sparse_key;
    LookupColumn dense;         // if !sparse_key
    SparseLookupColumn sparse;  // if sparse_key
  };
  const Lookup* find_lookup(std::string_view name) const;
  const Lookup& require_lookup(std::string_view name) const;  // throws if absent

  // The arena for a column of `column_bytes`: made with the first column large enough to be mapped
  // (small populations take their columns from malloc and never reserve one).
  std::shared_ptr<ColumnArena> arena_for(std::size_t column_bytes) {
    if (!arena_ && column_bytes >= kMapFrom)
      arena_ = std::make_shared<ColumnArena>(size_ * kArenaBytesPerAgent + kArenaSlack);
    return arena_;
  }
  // From this size a column is mapped from the kernel rather than taken from malloc
  // (population.cpp).
  static constexpr std::size_t kMapFrom = std::size_t{1} << 18;
  // Address space reserved per agent (the state is about 120 bytes; programmes add a few columns):
  // address space only, pages never written cost nothing.
  static constexpr std::size_t kArenaBytesPerAgent = 512, kArenaSlack = std::size_t{16} << 20;

  std::size_t size_;
  std::vector<std::unique_ptr<Column>> columns_;
  std::shared_ptr<ColumnArena> arena_;
  std::vector<std::unique_ptr<Lookup>> lookups_;
};

// Agent i's value in a column of any type, as a double (a Day16 as the day it stands for): for
// traces and for anything that reads columns without knowing their types.
double column_value(const Population::ColumnRef& c, std::size_t i);
// The code of a Coded16 column's agent i. Inline: the snapshot reads millions of them in a loop.
inline std::uint16_t code_at(const void* data, std::size_t i) {
  std::uint16_t code;
  std::memcpy(&code, static_cast<const std::byte*>(data) + i * sizeof code, sizeof code);
  return code;
}

// The columns every run has, made by population synthesis or loading.
inline constexpr std::uint8_t kMale = 0;
inline constexpr std::uint8_t kFemale = 1;
inline constexpr std::int32_t kNotDead = Day16::kAfterRun;

// Lasting body values in 16 bits (core/fixed16.hpp): height to 0.06 mm in [0, 4) m, weight to 8 g
// in [0, 512) kg (population CSVs are held to [1, 2.5] m and [25, 300] kg), lean mass and grip at
// the start to 2 g in [0, 128) kg (CSVs: at most 60 and 100 kg); far finer than they are measured.
using HeightM = Fixed16<0, 14>;
using WeightKg = Fixed16<0, 7>;
using StartKg = Fixed16<0, 9>;

struct CoreColumns {
  // People are stored from the oldest to the youngest (population/synthesis.cpp); `person` is
  // each one's number in the order they were drawn (or their CSV row), which keys their random
  // numbers (Rng::keyed_by), so storage order changes no one's life.
  std::uint32_t* person;
  std::uint8_t* sex;                 // kMale or kFemale
  BirthDay16* birth_day;             // simulation day of birth (negative: born before the start)
  std::uint8_t* alive;               // 1 alive, 0 dead
  Day16* death_day;                  // day of death, kNotDead while alive
  Sparse<std::uint8_t> death_cause;  // index into the death-cause list, 0 while alive (sparse)
  HeightM* height_m;
  WeightKg* weight_kg;
  float* alm_kg;           // appendicular lean mass
  float* grip_kg;          // maximal grip strength
  StartKg* alm_kg_start;   // at the start of the run, for change from baseline (alm_kg and grip_kg
  StartKg* grip_kg_start;  // start on the same 2 g grid, so the change starts at exactly 0)

  static CoreColumns declare(Population& pop);  // adds them
  static CoreColumns find(const Population& pop);
};

inline constexpr double kDaysPerYear = 365.25;

inline double age_years(std::int32_t day, std::int32_t birth_day) {
  return (day - birth_day) / kDaysPerYear;
}

}  // namespace sarcosim
