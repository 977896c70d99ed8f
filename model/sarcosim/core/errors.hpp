// Error types. Each maps to one exit code of the program and is reported as one line that names
// the file, key or argument and what is allowed.
#pragma once

#include <stdexcept>
#include <string>

namespace sarcosim {

// Something the user gave (a scenario, an argument, an input file) is wrong. Exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reading or writing a file failed (missing directory, full disk, corrupt file). Exit code 3.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run stopped early on purpose (--stop-after, or SIGTERM with checkpoints on) after writing a
// checkpoint it can be resumed from. Exit code 75.
class Stopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run was stopped by a signal before it finished. Exit code 130.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,
  kExitInput = 2,
  kExitIo = 3,
  kExitStopped = 75,  // EX_TEMPFAIL: a checkpoint was written; resume with --resume
  kExitInterrupted = 130,
};

}  // namespace sarcosim
