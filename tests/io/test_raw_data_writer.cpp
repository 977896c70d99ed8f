#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/io/raw_data_writer.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

namespace {

std::vector<std::byte> read_all(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

// A recognisable byte for each position of each piece.
std::byte pattern(int piece, std::size_t k) {
  return static_cast<std::byte>((k * 7 + static_cast<std::size_t>(piece) * 31 + k / 4096) & 0xff);
}

}  // namespace

TEST_CASE("raw data lands at its offsets, byte for byte, past the page cache or not", "[io]") {
  const auto mode = GENERATE(RawDataWriter::Mode::kDirect, RawDataWriter::Mode::kBuffered);
  test::TempDir dir;
  const auto path = dir / "raw.bin";
  // Pieces: off a block boundary and shorter than a block; from a boundary, longer than the
  // 1 MiB buffers with a partial last block; across blocks from an odd offset; one byte.
  struct Spec {
    std::uint64_t offset;
    std::size_t bytes;
  };
  const Spec specs[] = {{100, 3000},
                        {8192, (std::size_t{9} << 20) + 123},
                        {(std::uint64_t{10} << 20) + 4097, 3 * 4096 + 5},
                        {(std::uint64_t{11} << 20), 1}};
  const std::size_t size = (std::size_t{11} << 20) + 4096;
  {
    std::ofstream f(path, std::ios::binary);  // the file exists, as HDF5 leaves it: zeros
    f.seekp(static_cast<std::streamoff>(size - 1));
    f.put('\0');
  }
  RawDataWriter w(mode);
  int calls = 0;
  for (int p = 0; p < 4; ++p)
    w.add(specs[p].offset, specs[p].bytes,
          [p, &calls](std::size_t first, std::size_t n, std::byte* out) {
            REQUIRE(n <= (std::size_t{1} << 20));
            for (std::size_t k = 0; k < n; ++k)
              out[k] = pattern(p, first + k);
            ++calls;
          });
  w.add(500, 0, [](std::size_t, std::size_t, std::byte*) { FAIL("an empty piece is filled"); });
  w.write_into(path.string());

  const auto bytes = read_all(path);
  REQUIRE(bytes.size() == size);
  std::vector<int> owner(size, -1);
  for (int p = 0; p < 4; ++p)
    for (std::size_t k = 0; k < specs[p].bytes; ++k)
      owner[specs[p].offset + k] = p;
  std::size_t wrong = 0;
  for (std::size_t at = 0; at < size; ++at) {
    const int p = owner[at];
    const std::byte expected = p < 0 ? std::byte{0} : pattern(p, at - specs[p].offset);
    wrong += bytes[at] != expected;
  }
  CHECK(wrong == 0);
  CHECK(calls >= 4 + 2);  // the long piece takes more than one buffer
  if (mode == RawDataWriter::Mode::kBuffered) CHECK(w.direct_bytes() == 0);
  // Where the file system takes O_DIRECT, the whole blocks went past the page cache.
  INFO("bytes written past the page cache: " << w.direct_bytes());
  CHECK(w.direct_bytes() % 4096 == 0);
}

TEST_CASE("raw data that cannot be written is an IoError naming the file", "[io][errors]") {
  const auto mode = GENERATE(RawDataWriter::Mode::kDirect, RawDataWriter::Mode::kBuffered);
  RawDataWriter w(mode);
  std::vector<std::byte> data(5 * 4096, std::byte{1});
  w.add(0, data.size(), [&](std::size_t first, std::size_t n, std::byte* out) {
    std::memcpy(out, data.data() + first, n);
  });
  test::TempDir dir;
  CHECK_THROWS_MATCHES(w.write_into((dir / "missing" / "r.h5").string()), IoError,
                       Catch::Matchers::Predicate<IoError>([](const IoError& e) {
                         return std::string(e.what()).find("missing/r.h5") != std::string::npos;
                       }));
  if (std::filesystem::exists("/dev/full"))  // every write fails as on a full disk
    CHECK_THROWS_WITH(w.write_into("/dev/full"), Contains("/dev/full") && Contains("disk full"));
}

TEST_CASE("a large write that fails, or a conversion that throws, ends the writing cleanly",
          "[io][errors]") {
  // Large enough that whole blocks are written by threads of their own while the next buffer
  // fills (raw_data_writer.cpp): their errors reach the caller all the same.
  const auto mode = GENERATE(RawDataWriter::Mode::kDirect, RawDataWriter::Mode::kBuffered);
  const std::size_t bytes = std::size_t{12} << 20;
  if (std::filesystem::exists("/dev/full")) {
    RawDataWriter w(mode);
    w.add(0, bytes, [](std::size_t, std::size_t n, std::byte* out) { std::memset(out, 7, n); });
    CHECK_THROWS_WITH(w.write_into("/dev/full"), Contains("/dev/full") && Contains("disk full"));
  }
  test::TempDir dir;
  const auto path = dir / "raw.bin";
  std::ofstream(path, std::ios::binary).put('\0');
  RawDataWriter w(mode);
  w.add(0, bytes, [](std::size_t first, std::size_t n, std::byte* out) {
    if (first >= (std::size_t{6} << 20)) throw std::runtime_error("conversion failed");
    std::memset(out, 7, n);
  });
  CHECK_THROWS_WITH(w.write_into(path.string()), Contains("conversion failed"));
}

// Not under the sanitizers: they reserve the address space that the test limits.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST_CASE("with no thread to be had, the snapshot's bytes are written in turn", "[io][errors]") {
  // A child process whose address space has room for the writer's buffers but not for a thread's
  // stack: starting a writing thread fails, and write_into goes on without threads.
  const auto mode = GENERATE(RawDataWriter::Mode::kDirect, RawDataWriter::Mode::kBuffered);
  const std::size_t bytes = std::size_t{12} << 20;
  test::TempDir dir;
  const auto path = dir / "raw.bin";
  std::ofstream(path, std::ios::binary).put('\0');
  auto fill = [](std::size_t first, std::size_t n, std::byte* out) {
    for (std::size_t k = 0; k < n; ++k)
      out[k] = pattern(9, first + k);
  };
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::size_t pages = 0;
    std::ifstream("/proc/self/statm") >> pages;  // the address space's size, in pages
    // Room for the writer's four 1 MiB buffers and 1.25 MiB more: no room for a thread's stack
    // (8 MiB by default, 2 MiB where stacks are unlimited), checked with as much held as the
    // buffers will hold.
    const rlim_t room =
        pages * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (rlim_t{21} << 18);  // 5.25 MiB
    const rlimit limit{room, room};
    if (pages == 0 || ::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(3);
    void* held = std::malloc(std::size_t{17} << 18);  // 4.25 MiB
    if (!held) ::_exit(3);
    try {
      std::thread([] {}).join();
      ::_exit(4);  // a thread started: this test cannot do its work here
    } catch (const std::system_error&) {
    }
    std::free(held);
    try {
      RawDataWriter w(mode);
      w.add(0, bytes, fill);
      w.write_into(path.string());
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 4) {
    WARN("a thread started within the limit (small default stacks?): no fallback to check here");
    return;
  }
  REQUIRE(WEXITSTATUS(status) == 0);
  const auto written = read_all(path);
  REQUIRE(written.size() == bytes);
  std::size_t wrong = 0;
  for (std::size_t k = 0; k < bytes; ++k)
    wrong += written[k] != pattern(9, k);
  CHECK(wrong == 0);
}
#endif

TEST_CASE("numbers computed one by one fill any byte range, cuts inside numbers included", "[io]") {
  const auto value_of = [](std::size_t k) {
    return static_cast<std::uint32_t>(0x01020304u * k + 9);
  };
  std::vector<std::uint32_t> all(100);
  for (std::size_t k = 0; k < all.size(); ++k)
    all[k] = value_of(k);
  const auto* bytes = reinterpret_cast<const std::byte*>(all.data());
  alignas(8) std::byte out[400];
  for (std::size_t first : {0, 1, 3, 4, 6, 8, 397})
    for (std::size_t n : {0, 1, 2, 3, 4, 5, 9, 16, 17}) {
      if (first + n > sizeof(out)) continue;
      std::memset(out, 0xee, sizeof(out));
      fill_from_values<std::uint32_t>(first, n, out, value_of);
      INFO("first " << first << ", bytes " << n);
      CHECK(std::memcmp(out, bytes + first, n) == 0);
      CHECK(out[n] == std::byte{0xee});  // nothing past the range
    }
}
