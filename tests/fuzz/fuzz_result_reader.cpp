// libFuzzer target: any bytes given as a result file are read by `info` and `compare`'s readers
// or refused with an IoError or InputError; never a crash or another exception.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "sarcosim/analysis/compare.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/io/result_file.hpp"

namespace {

// One scratch file a process, removed when the fuzzer exits (a crash leaves it for inspection).
struct ScratchFile {
  std::string path = "/tmp/sarcosim-fuzz-" + std::to_string(::getpid()) + ".h5";
  ~ScratchFile() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchFile scratch;
  const std::string& path = scratch.path;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    (void)sarcosim::read_result_info(path);
    (void)sarcosim::read_outcomes(path);
  } catch (const sarcosim::IoError&) {
  } catch (const sarcosim::InputError&) {
  }
  return 0;
}
