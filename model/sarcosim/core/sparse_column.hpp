// A per-agent value that is 0 for all but a few people at any time: the days left of a hospital
// stay, a disuse episode, an admission asked for. One bit per person says who has a value, and
// each page of 4096 people keeps its people's values in a short list sorted by person. A pass
// over everyone reads the bit (one load, from a bitmap of an eighth of a byte a person); a person
// with a value finds it at their rank in the page: the count of bits set before theirs (a
// per-word count and a popcount). 17 bytes a person of such states cost about 1 this way.
//
// A value set back to 0 keeps its place until settle() (the simulation settles each block at the
// end of every period): a state that ends (a stay, bed rest) costs no removal from the list then,
// and one that starts again before the period's end no insertion.
//
// Pages never straddle two blocks of the simulation (blocks are whole pages), so the threads that
// run different blocks touch different pages and different words of the bitmap.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace sarcosim {

// What writers, traces and checkpoints need of a sparse column without knowing its type.
class SparseValues {
 public:
  virtual ~SparseValues() = default;
  // Agents [first, first + count) as the raw values a dense column would hold (0 for none).
  virtual void copy_out(std::size_t first, std::size_t count, void* out) const = 0;
  // Everyone's values from raw values (a dense column's bytes), replacing what was there.
  virtual void copy_in(const void* values) = 0;
  // The people with a value: their index (uint32) and the value's raw bytes, in index order.
  virtual std::vector<std::uint8_t> save() const = 0;
  // From save()'s bytes; false if they are not a valid list for this column.
  virtual bool load(const std::vector<std::uint8_t>& bytes) = 0;
  // People with a value now.
  virtual std::size_t count() const = 0;
  // Drops the places of values set back to 0, for agents [first, last) (whole pages).
  virtual void settle(std::size_t first, std::size_t last) = 0;
};

template <class T>
class SparseColumn final : public SparseValues {
  static_assert(std::is_trivially_copyable_v<T>, "sparse values are moved as raw bytes");

 public:
  static constexpr std::size_t kPage = 4096, kWordsPerPage = kPage / 64;

  explicit SparseColumn(std::size_t n)
      : n_(n),
        bits_((n + 63) / 64, 0),
        before_((n + kPage - 1) / kPage * kWordsPerPage, 0),
        pages_((n + kPage - 1) / kPage),
        may_hold_zeros_(pages_.size(), 0) {}

  T operator[](std::size_t i) const {
    if (!has(i)) return T{};
    return at_place(i);
  }
  // The value of an agent whose bit is set (Sparse reads the bit itself).
  T at_place(std::size_t i) const { return pages_[i / kPage][rank(i)]; }
  // Agent i's value in place, to read and change with one search (0 is allowed: the place is
  // kept until settle()); null if i has no place. Valid until a place is added in i's page.
  T* find(std::size_t i) {
    if (!has(i)) return nullptr;
    may_hold_zeros_[i / kPage] = 1;  // the caller may set it to 0
    return &pages_[i / kPage][rank(i)];
  }
  const std::uint64_t* bits() const { return bits_.data(); }

  // Sets agent i's value (a value of 0, every byte 0, is no value). Inline for the usual cases;
  // a person gaining a place in the page's list is rarer.
  void set(std::size_t i, T value) {
    if (has(i)) {
      pages_[i / kPage][rank(i)] = value;
      if (is_zero(value)) may_hold_zeros_[i / kPage] = 1;
    } else if (!is_zero(value)) {
      insert(i, value);
    }
  }

  void settle(std::size_t first, std::size_t last) override {
    for (std::size_t p = first / kPage; p * kPage < last && p < pages_.size(); ++p) {
      if (!may_hold_zeros_[p]) continue;  // lists that only grow are not read through each time
      may_hold_zeros_[p] = 0;
      auto& page = pages_[p];
      if (std::none_of(page.begin(), page.end(), is_zero)) continue;
      std::size_t kept = 0, k = 0, count = 0;
      const std::size_t w0 = p * kWordsPerPage, w1 = std::min(bits_.size(), w0 + kWordsPerPage);
      for (std::size_t w = w0; w < w1; ++w) {
        before_[w] = static_cast<std::uint16_t>(count);
        for (std::uint64_t word = bits_[w]; word != 0; word &= word - 1, ++k) {
          if (is_zero(page[k])) {
            bits_[w] &= ~(word & -word);
            continue;
          }
          page[kept++] = page[k];
          ++count;
        }
      }
      page.resize(kept);
    }
  }

  std::size_t count() const override {
    std::size_t c = 0;
    for (const auto& page : pages_)
      c += static_cast<std::size_t>(std::count_if(page.begin(), page.end(), not_zero));
    return c;
  }

  // Places held in the pages' lists: count(), and values set back to 0 not yet settled.
  std::size_t places() const {
    std::size_t c = 0;
    for (const auto& page : pages_)
      c += page.size();
    return c;
  }

  void copy_out(std::size_t first, std::size_t count, void* out) const override {
    auto* bytes = static_cast<std::uint8_t*>(out);
    std::memset(bytes, 0, count * sizeof(T));
    const std::size_t end = first + count;
    for (std::size_t i = first; i < end;) {  // from set bit to set bit
      const std::uint64_t word = bits_[i >> 6] >> (i & 63);
      if (word == 0) {
        i = (i | 63) + 1;
        continue;
      }
      i += static_cast<std::size_t>(std::countr_zero(word));
      if (i >= end) break;
      std::memcpy(bytes + (i - first) * sizeof(T), &pages_[i / kPage][rank(i)], sizeof(T));
      ++i;
    }
  }

  void copy_in(const void* values) override {
    clear();
    const auto* bytes = static_cast<const std::uint8_t*>(values);
    for (std::size_t i = 0; i < n_; ++i) {
      T v;
      std::memcpy(&v, bytes + i * sizeof(T), sizeof(T));
      set(i, v);
    }
  }

  std::vector<std::uint8_t> save() const override {
    std::vector<std::uint8_t> out(count() * (4 + sizeof(T)));
    std::size_t at = 0;
    for (std::size_t w = 0; w < bits_.size(); ++w)
      for (std::uint64_t word = bits_[w]; word != 0; word &= word - 1) {
        const auto i = static_cast<std::uint32_t>(w * 64 + std::countr_zero(word));
        const T& value = pages_[i / kPage][rank(i)];
        if (is_zero(value)) continue;
        std::memcpy(out.data() + at, &i, 4);
        std::memcpy(out.data() + at + 4, &value, sizeof(T));
        at += 4 + sizeof(T);
      }
    return out;
  }

  bool load(const std::vector<std::uint8_t>& bytes) override {
    constexpr std::size_t kEntry = 4 + sizeof(T);
    if (bytes.size() % kEntry != 0) return false;
    clear();
    std::int64_t last = -1;
    for (std::size_t k = 0; k < bytes.size(); k += kEntry) {
      std::uint32_t i;
      T v;
      std::memcpy(&i, bytes.data() + k, 4);
      std::memcpy(&v, bytes.data() + k + 4, sizeof(T));
      if (i >= n_ || static_cast<std::int64_t>(i) <= last || is_zero(v)) {
        clear();
        return false;
      }
      last = i;
      set(i, v);
    }
    return true;
  }

 private:
  // std::popcount without the popcnt instruction (not in the baseline x86-64 this builds for) is a
  // call into libgcc: this is inline.
  static std::size_t count_bits(std::uint64_t x) {
#if defined(__POPCNT__)
    return static_cast<std::size_t>(std::popcount(x));
#else
    x -= (x >> 1) & 0x5555555555555555u;
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return static_cast<std::size_t>((x * 0x0101010101010101u) >> 56);
#endif
  }

  // Whether agent i has a place in its page's list (its value may have been set back to 0).
  bool has(std::size_t i) const {
    return bits_[i >> 6] >> (i & 63) & 1;
  }

  static bool not_zero(const T& v) {
    return !is_zero(v);
  }
  static bool is_zero(const T& v) {
    if constexpr (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8) {
      using Bits = std::conditional_t<
          sizeof(T) == 1, std::uint8_t,
          std::conditional_t<sizeof(T) == 2, std::uint16_t,
                             std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
      Bits bits;
      std::memcpy(&bits, &v, sizeof(T));
      return bits == 0;
    } else {
      unsigned char bytes[sizeof(T)];
      std::memcpy(bytes, &v, sizeof(T));
      for (const unsigned char b : bytes)
        if (b != 0) return false;
      return true;
    }
  }

  // Agent i's place in its page's values: how many people before it in the page have one.
  std::size_t rank(std::size_t i) const {
    const std::uint64_t below = (std::uint64_t{1} << (i & 63)) - 1;
    return before_[i >> 6] + count_bits(bits_[i >> 6] & below);
  }
  [[gnu::noinline]] void insert(std::size_t i, T value) {
    auto& page = pages_[i / kPage];
    page.insert(page.begin() + static_cast<std::ptrdiff_t>(rank(i)), value);
    bits_[i >> 6] |= std::uint64_t{1} << (i & 63);
    // The later words of i's page count one more (before_ holds whole pages): every word of the
    // page adds 0 or 1, read from a window on kOnesAfter, which vectorises and has no loop exit
    // that depends on i (a loop over the later words alone mispredicted its exit at every insert).
    const std::size_t w = i >> 6, first = w / kWordsPerPage * kWordsPerPage;
    std::uint16_t* __restrict counts = before_.data() + first;
    const std::uint16_t* __restrict add = kOnesAfter.data() + (kWordsPerPage - 1 - (w - first));
    for (std::size_t k = 0; k < kWordsPerPage; ++k)
      counts[k] = static_cast<std::uint16_t>(counts[k] + add[k]);
  }

  void clear() {
    std::fill(bits_.begin(), bits_.end(), 0);
    std::fill(before_.begin(), before_.end(), 0);
    for (auto& page : pages_)
      page.clear();
    std::fill(may_hold_zeros_.begin(), may_hold_zeros_.end(), 0);
  }

  // kWordsPerPage zeros, then as many ones: from kOnesAfter[kWordsPerPage - 1 - o], the words
  // after word o of a page read 1 and the others 0.
  static constexpr std::array<std::uint16_t, 2 * kWordsPerPage> kOnesAfter = [] {
    std::array<std::uint16_t, 2 * kWordsPerPage> a{};
    for (std::size_t k = kWordsPerPage; k < a.size(); ++k)
      a[k] = 1;
    return a;
  }();

  std::size_t n_;
  std::vector<std::uint64_t> bits_;           // who has a value
  std::vector<std::uint16_t> before_;         // per word: places in the page's words before it
  std::vector<std::vector<T>> pages_;         // per page: the values, in the order of the people
  std::vector<std::uint8_t> may_hold_zeros_;  // per page: a value may have been set to 0
};

// How modules hold a sparse column (like a column pointer): reads with [], writes with set().
// It keeps the bitmap's address too (it never moves), so that the usual read, of someone with no
// value, is a single load.
template <class T>
class Sparse {
 public:
  Sparse() = default;
  explicit Sparse(SparseColumn<T>* column) : column_(column), bits_(column->bits()) {}
  T operator[](std::size_t i) const {
    if (!(bits_[i >> 6] >> (i & 63) & 1)) return T{};
    return column_->at_place(i);
  }
  T* find(std::size_t i) const { return column_->find(i); }
  void set(std::size_t i, T value) const { column_->set(i, value); }

 private:
  SparseColumn<T>* column_ = nullptr;
  const std::uint64_t* bits_ = nullptr;
};

}  // namespace sarcosim
