#include "sarcosim/io/raw_data_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "sarcosim/core/errors.hpp"

namespace sarcosim {
namespace {

constexpr std::size_t kBlock = 4096;                   // the alignment O_DIRECT asks for
constexpr std::size_t kBuffer = std::size_t{8} << 20;  // bytes per write

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now; returns errno of a failed close, else 0.
  int close() {
    const int r = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return r < 0 ? errno : 0;
  }

 private:
  int fd_;
};

// Writes all n bytes at `offset`; returns 0 or the errno of the write that failed.
int write_fully(int fd, const std::byte* data, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return errno;
    if (w == 0) return ENOSPC;
    data += w;
    n -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
  return 0;
}

[[noreturn]] void write_failed(const std::string& path, int err) {
  throw IoError(path + ": cannot write the snapshot's data (disk full?): " + std::strerror(err));
}

}  // namespace

void RawDataWriter::add(std::uint64_t offset, std::size_t bytes, Fill fill) {
  if (bytes > 0) pieces_.push_back({offset, bytes, std::move(fill)});
}

void RawDataWriter::write_into(const std::string& path) {
  direct_bytes_ = 0;
  if (pieces_.empty()) return;
  FileDescriptor buffered(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (buffered.get() < 0)
    throw IoError(path + ": cannot open the file to write the snapshot: " + std::strerror(errno));
  int direct_fd = -1;
#ifdef O_DIRECT
  if (mode_ == Mode::kDirect) direct_fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_DIRECT);
#endif
  FileDescriptor direct(direct_fd);  // -1 where the file system refuses O_DIRECT
  const std::unique_ptr<std::byte, decltype(&std::free)> owned(
      static_cast<std::byte*>(std::aligned_alloc(kBlock, kBuffer)), &std::free);
  if (!owned) throw std::bad_alloc();
  std::byte* const buffer = owned.get();

  for (const Piece& p : pieces_) {
    std::size_t done = 0;
    auto write_buffered = [&](std::size_t n) {
      if (const int e = write_fully(buffered.get(), buffer, n, p.offset + done))
        write_failed(path, e);
    };
    // Up to the first block boundary of the file, through the page cache.
    if (const std::size_t head = std::min(p.bytes, (kBlock - p.offset % kBlock) % kBlock)) {
      p.fill(done, head, buffer);
      write_buffered(head);
      done += head;
    }
    // Whole blocks, past the page cache.
    while (p.bytes - done >= kBlock) {
      const std::size_t n = std::min(kBuffer, (p.bytes - done) / kBlock * kBlock);
      p.fill(done, n, buffer);
      int e = direct.get() >= 0 ? write_fully(direct.get(), buffer, n, p.offset + done) : EINVAL;
      if (e == 0) direct_bytes_ += n;
      if (e == EINVAL) {  // O_DIRECT refused (here, or this alignment): the rest buffered
        direct.close();
        write_buffered(n);
        e = 0;
      }
      if (e) write_failed(path, e);
      done += n;
    }
    // The last partial block.
    if (const std::size_t tail = p.bytes - done) {
      p.fill(done, tail, buffer);
      write_buffered(tail);
    }
  }
  if (const int e = direct.close()) write_failed(path, e);
  if (const int e = buffered.close()) write_failed(path, e);
}

}  // namespace sarcosim
