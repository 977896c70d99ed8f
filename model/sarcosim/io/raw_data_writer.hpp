// The bytes of large uncompressed datasets, written into an HDF5 file after HDF5 has laid it out
// and closed it (h5::Group::create_unfilled gives each dataset's place in the file).
//
// Why: written through the page cache, the final snapshot of 10 million people (1.6 GB) took 4-5
// s on the development VM, where the disk takes 0.6 s for it with O_DIRECT (docs/performance.md).
// So whole aligned 4 KiB blocks go straight to the disk from an aligned buffer; a piece's first
// and last partial blocks, and everything on a file system that refuses O_DIRECT, go through
// ordinary writes. The bytes in the file are the same either way. Up to three such writes are in
// flight at once, each from a thread of its own, while the caller converts the next piece.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace sarcosim {

class RawDataWriter {
 public:
  enum class Mode { kDirect, kBuffered };  // kBuffered: never O_DIRECT (tests, comparisons)
  explicit RawDataWriter(Mode mode = Mode::kDirect) : mode_(mode) {}

  // Fills out[0, bytes) with the piece's bytes [first, first + bytes) (at most 1 MiB), on the
  // thread that calls write_into(). A piece starting off a 4 KiB boundary of the file is cut there,
  // which may fall inside a number.
  using Fill = std::function<void(std::size_t first, std::size_t bytes, std::byte* out)>;

  // A piece of `bytes` bytes at `offset` in the file.
  void add(std::uint64_t offset, std::size_t bytes, Fill fill);

  // Writes every piece into the existing file at `path`. Throws IoError naming the file if a
  // write fails (a full disk, a file-size limit).
  void write_into(const std::string& path);

  // Bytes the last write_into() sent past the page cache (0 where O_DIRECT is refused).
  std::uint64_t direct_bytes() const { return direct_bytes_; }

 private:
  struct Piece {
    std::uint64_t offset;
    std::size_t bytes;
    Fill fill;
  };
  Mode mode_;
  std::vector<Piece> pieces_;
  std::uint64_t direct_bytes_ = 0;
};

// A Fill for numbers computed one by one, value_of(0), value_of(1) ...: bytes [first, first +
// bytes) of them into out (aligned for T), where first and bytes may cut a number.
template <class T, class ValueOf>
void fill_from_values(std::size_t first, std::size_t bytes, std::byte* out,
                      const ValueOf& value_of) {
  if (first % sizeof(T) == 0 && bytes % sizeof(T) == 0) {
    T* values = reinterpret_cast<T*>(out);
    for (std::size_t k = 0; k < bytes / sizeof(T); ++k)
      values[k] = value_of(first / sizeof(T) + k);
    return;
  }
  for (std::size_t at = 0, k = first / sizeof(T); at < bytes; ++k) {
    const T v = value_of(k);
    const std::size_t skip = first + at - k * sizeof(T);  // only the first number is cut before
    const std::size_t n = std::min(sizeof(T) - skip, bytes - at);
    std::memcpy(out + at, reinterpret_cast<const std::byte*>(&v) + skip, n);
    at += n;
  }
}

}  // namespace sarcosim
