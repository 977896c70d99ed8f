#include "sarcosim/io/raw_data_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <future>
#include <memory>
#include <system_error>
#include <vector>

#include "sarcosim/core/errors.hpp"

namespace sarcosim {
namespace {

constexpr std::size_t kBlock = 4096;                   // the alignment O_DIRECT asks for
constexpr std::size_t kBuffer = std::size_t{1} << 20;  // bytes per write
// Four buffers, one filled while the others are written: 4 MiB in all, what the snapshot of a
// million people used of the single 8 MiB buffer before (its columns are of 1-4 MB).
constexpr int kBuffers = 4;

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
  // kBuffers aligned buffers of kBuffer bytes, in one allocation.
  const std::unique_ptr<std::byte, decltype(&std::free)> owned(
      static_cast<std::byte*>(std::aligned_alloc(kBlock, kBuffers * kBuffer)), &std::free);
  if (!owned) throw std::bad_alloc();
  auto buffer = [base = owned.get()](int b) {
    return base + static_cast<std::size_t>(b) * kBuffer;
  };

  auto write_buffered = [&](const std::byte* data, std::uint64_t offset, std::size_t n) {
    if (const int e = write_fully(buffered.get(), data, n, offset)) write_failed(path, e);
  };
  // Whole blocks past the page cache where the file system takes it (then returns n, the bytes
  // so written), else through it (returns 0).
  std::atomic<bool> refused = direct.get() < 0;
  auto write_blocks = [&](const std::byte* data, std::uint64_t offset,
                          std::size_t n) -> std::size_t {
    if (!refused) {
      const int e = write_fully(direct.get(), data, n, offset);
      if (e == 0) return n;
      if (e != EINVAL) write_failed(path, e);
      refused = true;  // O_DIRECT refused (here, or this alignment): the rest buffered
    }
    write_buffered(data, offset, n);
    return 0;
  };
  // The whole blocks go to the disk from threads of their own, up to three writes at once,
  // while the caller fills the next buffer: the disk's time (an O_DIRECT write waits for it)
  // overlaps the conversions' and the other writes'. 1 million people's snapshot took 0.09-0.16 s
  // written in turn, 0.08 s of it waiting for writes. A buffer is filled only once its write is
  // done. The partial blocks, other pages of the file, are kept aside and written after the last
  // whole block: written meanwhile, each waited for the writes in flight (the file system's lock
  // on the file), 0.04-0.06 s of 0.15-0.20 s at 1 million (docs/performance.md, sixteenth stop).
  // Small files are written in turn (a thread costs more than it would hide). The futures wait
  // for their threads when destroyed, before anything those use is.
  std::size_t total = 0;
  for (const Piece& p : pieces_)
    total += p.bytes;
  bool threads = total >= 4 * kBuffer;
  std::array<std::future<std::size_t>, kBuffers> in_flight;
  int filling = 0;
  auto wait_for = [&](int b) {
    if (in_flight[b].valid()) direct_bytes_ += in_flight[b].get();  // rethrows its IoError
  };
  // Starts writing the buffer being filled on a thread of its own; false where no thread is to be
  // had (a limit on processes, as in some batch jobs): the rest is then written in turn.
  auto launched = [&](std::uint64_t offset, std::size_t n) {
    try {
      in_flight[filling] = std::async(std::launch::async, write_blocks, buffer(filling), offset, n);
      return true;
    } catch (const std::system_error&) {
      return threads = false;
    }
  };
  auto send_blocks = [&](std::uint64_t offset, std::size_t n) {
    if (threads && launched(offset, n)) {
      filling = (filling + 1) % kBuffers;
      wait_for(filling);
    } else {
      direct_bytes_ += write_blocks(buffer(filling), offset, n);
    }
  };

  // The pieces' partial blocks (under kBlock bytes each, at most two a piece), for the end.
  struct Partial {
    std::uint64_t offset;
    std::vector<std::byte> bytes;
  };
  std::vector<Partial> partials;
  auto keep_partial = [&](const Piece& p, std::size_t first, std::size_t n) {
    Partial& kept = partials.emplace_back(Partial{p.offset + first, std::vector<std::byte>(n)});
    p.fill(first, n, kept.bytes.data());
  };
  for (const Piece& p : pieces_) {
    std::size_t done = 0;
    // Up to the first block boundary of the file: through the page cache, at the end.
    if (const std::size_t head = std::min(p.bytes, (kBlock - p.offset % kBlock) % kBlock)) {
      keep_partial(p, done, head);
      done += head;
    }
    // Whole blocks, past the page cache.
    while (p.bytes - done >= kBlock) {
      const std::size_t n = std::min(kBuffer, (p.bytes - done) / kBlock * kBlock);
      p.fill(done, n, buffer(filling));
      send_blocks(p.offset + done, n);
      done += n;
    }
    // The last partial block, at the end too.
    if (const std::size_t tail = p.bytes - done) keep_partial(p, done, tail);
  }
  for (int b = 0; b < kBuffers; ++b)
    wait_for(b);
  for (const Partial& kept : partials)
    write_buffered(kept.bytes.data(), kept.offset, kept.bytes.size());
  if (const int e = direct.close()) write_failed(path, e);
  if (const int e = buffered.close()) write_failed(path, e);
}

}  // namespace sarcosim
