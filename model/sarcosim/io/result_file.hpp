// The result file (HDF5): its layout is documented in docs/output.md. Written under a temporary
// name in the output directory and renamed when complete, so a failed or interrupted run never
// leaves a file at the output path.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/simulation.hpp"

namespace sarcosim {

struct RunMetadata {
  std::string command_line;
  std::string created_utc;
};

// Refuses an output path before a run starts: present without `force`, directory missing or not
// writable. Throws InputError or IoError with a one-line message.
void check_output_path(const std::filesystem::path& out, bool force);

// How the result file is written (defaults for real runs; tests change them).
struct WriteOptions {
  // Snapshot columns of at least this many bytes are laid out by HDF5 and their bytes written
  // into the closed file by RawDataWriter, past the page cache (uncompressed files only).
  std::size_t raw_from_bytes = std::size_t{1} << 20;
};

// A result file written as its run goes and completed by finish(): the event log can be
// appended period by period (RunOptions::event_sink), so that it is never held whole. The file
// lives under temporary_path_for(out) until finish() renames it; a writer destroyed unfinished
// (a failed or interrupted run) removes it. Replicates share one file: series get a leading
// replicate axis; the snapshot, events and trace are those of the first replicate.
class ResultWriter {
 public:
  ResultWriter(std::filesystem::path out, const Scenario& scenario, WriteOptions options = {});
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  // Events of the first replicate, in log order (nothing is kept if output.events is false).
  void append_events(std::span<const Event> events);
  std::function<void(std::span<const Event>)> event_sink();  // for RunOptions::event_sink
  // Writes the rest, and any events the first replicate still holds; then moves the file into
  // place. Throws IoError (the temporary file is removed) if anything cannot be written.
  void finish(const std::vector<RunResult>& replicates, const RunMetadata& meta);
  void finish(const std::vector<const RunResult*>& replicates, const RunMetadata& meta);

 private:
  struct Open;
  void discard() noexcept;
  std::filesystem::path out_, tmp_;
  const Scenario& scenario_;
  WriteOptions options_;
  std::unique_ptr<Open> open_;
  bool finished_ = false;
};

// The same at once, for runs that kept their events.
void write_result(const std::filesystem::path& out, const Scenario& scenario,
                  const std::vector<RunResult>& replicates, const RunMetadata& meta);
void write_result(const std::filesystem::path& out, const Scenario& scenario, const RunResult& run,
                  const RunMetadata& meta);

// Headline figures of a run, written to /summary and printed by `run` and `info`.
struct Headline {
  std::string name;
  double value;
  std::string unit;
};
std::vector<Headline> headline_figures(const RunResult& run);
// Means over replicates.
std::vector<Headline> headline_figures(const std::vector<RunResult>& replicates);

// What `info` shows. Throws IoError for files that are not sarcosim results.
struct ResultInfo {
  std::map<std::string, std::string> metadata;  // attribute name -> value as text
  std::vector<std::pair<std::string, std::string>> summary;
  std::vector<std::string> series;
  std::vector<std::string> snapshot_columns;
  std::size_t periods = 0;
  std::size_t replicates = 0;
  std::size_t events = 0;
};
ResultInfo read_result_info(const std::filesystem::path& file);
// The same checks, and the headline outcomes only (ResultInfo::summary, the rest left empty): what
// a sweep's index and its check of finished runs need, without listing series, columns and events.
ResultInfo read_result_summary(const std::filesystem::path& file);

// HDF5 1.10 can crash on a corrupt file instead of returning an error (found by fuzzing). Runs
// `read` in a child process first; if the library crashes there, throws IoError naming the file.
void check_hdf5_survives(const std::filesystem::path& file, const std::function<void()>& read);

// The path of the temporary file a write to `out` uses (for signal handlers to remove).
std::filesystem::path temporary_path_for(const std::filesystem::path& out);

// Throws IoError if `dest` exists and is not a regular file (a FIFO, a device such as /dev/null):
// a rename would replace it with our file. Directories are left to the caller's own message.
// `prefix` starts the message (the option that named the path, e.g. "-o ").
void refuse_special_file(const std::filesystem::path& dest, const std::string& prefix);

// Renames the finished temporary file `tmp` to `dest`, refusing a `dest` that is not a regular
// file. Throws IoError naming `dest`; the caller removes `tmp`.
void move_into_place(const std::filesystem::path& tmp, const std::filesystem::path& dest);

}  // namespace sarcosim
