#include "sarcosim/io/result_file.hpp"

#include <fcntl.h>
#include <sys/wait.h>

#include <unistd.h>
#include <csignal>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/version.hpp"
#include "sarcosim/io/event_table.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/raw_data_writer.hpp"

namespace sarcosim {
namespace fs = std::filesystem;

fs::path temporary_path_for(const fs::path& out) {
  fs::path tmp = out;
  tmp += ".tmp-" + std::to_string(::getpid());
  return tmp;
}

void refuse_special_file(const fs::path& dest, const std::string& prefix) {
  std::error_code ec;
  const fs::file_status st = fs::status(dest, ec);
  if (!fs::exists(st) || fs::is_regular_file(st) || fs::is_directory(st)) return;
  throw IoError(
      prefix + dest.string() +
      ": exists and is not a regular file (a device, FIFO or socket); it is not replaced");
}

void move_into_place(const fs::path& tmp, const fs::path& dest) {
  refuse_special_file(dest, "");
  std::error_code ec;
  fs::rename(tmp, dest, ec);
  if (ec)
    throw IoError(dest.string() + ": cannot move the finished file into place: " + ec.message());
}

void check_output_path(const fs::path& out, bool force) {
  if (out.empty()) throw InputError("-o: the output path is empty");
  if (fs::is_directory(out))
    throw InputError("-o " + out.string() + ": is a directory; give a file name");
  refuse_special_file(out, "-o ");
  if (fs::exists(out) && !force)
    throw InputError("-o " + out.string() +
                     ": output file already present (use --force to replace it)");
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir))
    throw InputError("-o " + out.string() + ": output directory " + dir.string() +
                     " does not exist");
  // Probe that the directory is writable now, rather than after a long run.
  const fs::path probe = temporary_path_for(out);
  {
    std::ofstream f(probe);
    if (!f) throw IoError("-o " + out.string() + ": cannot write in directory " + dir.string());
  }
  fs::remove(probe);
}

namespace {
std::vector<Headline> mean_headlines(const std::vector<const RunResult*>& runs) {
  std::vector<Headline> mean = headline_figures(*runs.front());
  for (std::size_t r = 1; r < runs.size(); ++r) {
    const auto h = headline_figures(*runs[r]);
    for (std::size_t k = 0; k < mean.size(); ++k)
      mean[k].value += h[k].value;
  }
  for (auto& h : mean)
    h.value /= static_cast<double>(runs.size());
  return mean;
}
}  // namespace

std::vector<Headline> headline_figures(const std::vector<RunResult>& runs) {
  std::vector<const RunResult*> p;
  for (const RunResult& r : runs)
    p.push_back(&r);
  return mean_headlines(p);
}

std::vector<Headline> headline_figures(const RunResult& run) {
  std::vector<Headline> h;
  const Registry& reg = run.registry;
  const std::size_t last = run.periods.size() - 1;
  double py = 0, deaths = 0;
  for (std::size_t p = 0; p < run.periods.size(); ++p) {
    py += run.total(p, reg.person_years);
    deaths += run.total(p, reg.deaths);
  }
  const double alive = run.total(last, reg.alive);
  h.push_back({"agents", static_cast<double>(run.agents), "people"});
  h.push_back({"years", run.days / kDaysPerYear, "years"});
  h.push_back({"alive_at_end", alive, "people"});
  h.push_back({"deaths", deaths, "deaths"});
  h.push_back({"person_years", py, "years"});
  h.push_back({"mortality_per_1000_py", py > 0 ? 1000 * deaths / py : 0, "per 1000 person-years"});
  for (std::size_t s = 0; s < reg.series().size(); ++s) {
    const SeriesSpec& spec = reg.series()[s];
    const auto id = static_cast<SeriesId>(s);
    if (spec.kind == SeriesKind::Mean) {
      h.push_back({spec.name + "_at_start", run.total(0, id) / run.total(0, reg.alive), spec.unit});
      h.push_back({spec.name + "_at_end", run.total(last, id) / alive, spec.unit});
    } else if (spec.kind == SeriesKind::Level && id != reg.alive) {
      h.push_back({spec.name + "_share_at_end", run.total(last, id) / alive, "fraction"});
    }
  }
  return h;
}

namespace {

using Runs = std::vector<const RunResult*>;

void write_series(const h5::Group& g, const Runs& runs) {
  const RunResult& run = *runs.front();
  const std::size_t R = runs.size(), P = run.periods.size(), S = run.registry.series().size();
  constexpr int B = AgeBands::kCount;
  std::vector<std::int32_t> start, end;
  for (const Period& p : run.periods)
    start.push_back(p.first_day), end.push_back(p.end_day);
  g.write("period_start_day", start, {P});
  g.write("period_end_day", end, {P});
  g.write_strings("age_bands", AgeBands::labels());
  g.write_strings("sexes", {"male", "female"});
  for (std::size_t s = 0; s < S; ++s) {
    const SeriesSpec& spec = run.registry.series()[s];
    std::vector<double> v(R * P * 2 * B);
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t p = 0; p < P; ++p)
        for (int sex = 0; sex < 2; ++sex)
          for (int b = 0; b < B; ++b) {
            double x = runs[r]->at(p, static_cast<SeriesId>(s), sex, b);
            if (spec.kind == SeriesKind::Mean) {
              const double n = runs[r]->at(p, run.registry.alive, sex, b);
              x = n > 0 ? x / n : std::numeric_limits<double>::quiet_NaN();
            }
            v[((r * P + p) * 2 + sex) * B + b] = x;
          }
    const h5::Dataset ds = g.write(spec.name, v, {R, P, 2, B});
    ds.attr("unit", spec.unit);
    ds.attr("description", spec.description);
    ds.attr("kind", to_string(spec.kind));
  }
}

void write_event_names(const h5::Group& g, const RunResult& run) {
  std::vector<std::string> names, details;
  for (const auto& e : run.registry.event_types())
    names.push_back(e.name), details.push_back(e.detail);
  g.write_strings("type_names", names);
  g.write_strings("type_details", details);
  g.write_strings("death_causes", run.registry.death_causes());
}

// Columns are written in place, without a copy: large ones by `raw` once the file is closed
// (uncompressed files only), the others by HDF5.
class SnapshotWriter {
 public:
  SnapshotWriter(const h5::Group& g, std::size_t n, RawDataWriter& raw, std::size_t raw_from)
      : g_(g), n_(n), raw_(raw), raw_from_(g.deflate() == 0 ? raw_from : SIZE_MAX) {}

  template <class T>
  void column(const ColumnInfo& info, const T* values) {
    const std::string& name = info.name;
    if (goes_raw<T>()) {
      const std::byte* bytes = reinterpret_cast<const std::byte*>(values);
      raw_.add(g_.create_unfilled<T>(name, n_), n_ * sizeof(T),
               [bytes](std::size_t first, std::size_t count, std::byte* out) {
                 std::memcpy(out, bytes + first, count);
               });
      describe(g_.open_dataset(name), info);
    } else {
      describe(g_.write(name, values, {n_}), info);
    }
  }
  // Values computed person by person: no copy in memory either way.
  template <class T, class ValueOf>
  void computed_column(const ColumnInfo& info, ValueOf value_of) {
    const std::string& name = info.name;
    if (goes_raw<T>()) {
      raw_.add(g_.create_unfilled<T>(name, n_), n_ * sizeof(T),
               [value_of](std::size_t first, std::size_t count, std::byte* out) {
                 fill_from_values<T>(first, count, out, value_of);
               });
      describe(g_.open_dataset(name), info);
    } else {
      describe(g_.write_by_slices<T>(name, n_, value_of), info);
    }
  }
  // A sparse column (core/sparse_column.hpp) as the dense column it stands for, a slice at a time.
  template <class T>
  void sparse_column(const ColumnInfo& info, const SparseColumn<T>* values) {
    auto value_of = [values](std::size_t i) { return (*values)[i]; };
    if (!goes_raw<T>()) {
      describe(g_.write_by_slices<T>(info.name, n_, value_of), info);
    } else {
      raw_.add(g_.create_unfilled<T>(info.name, n_), n_ * sizeof(T),
               [values, value_of](std::size_t first, std::size_t bytes, std::byte* out) {
                 if (first % sizeof(T) == 0 && bytes % sizeof(T) == 0)
                   values->copy_out(first / sizeof(T), bytes / sizeof(T), out);
                 else
                   fill_from_values<T>(first, bytes, out, value_of);
               });
      describe(g_.open_dataset(info.name), info);
    }
  }

 private:
  static void describe(const h5::Dataset& ds, const ColumnInfo& info) {
    ds.attr("unit", info.unit);
    ds.attr("description", info.description);
  }
  template <class T>
  bool goes_raw() const {
    return n_ > 0 && n_ * sizeof(T) >= raw_from_;
  }
  const h5::Group& g_;
  std::size_t n_;
  RawDataWriter& raw_;
  std::size_t raw_from_;
};

// A Coded16 column as the values its codes stand for, from a table of every code's value (64 Ki
// entries, worked out once, against millions of people). Copied into the writer: raw data may be
// written after the caller's loop, so the lambda holds `values` to keep `table` alive.
template <class T>
void write_coded(SnapshotWriter& w, const Population::ColumnRef& col) {
  auto values = std::make_shared<std::vector<T>>(std::size_t{UINT16_MAX} + 1);
  for (std::size_t code = 0; code <= UINT16_MAX; ++code)
    (*values)[code] = static_cast<T>(col.info.coding.value(static_cast<std::uint16_t>(code)));
  w.computed_column<T>(col.info, [values, table = values->data(), data = col.data](std::size_t i) {
    return table[code_at(data, i)];
  });
}

// A sparse column (core/sparse_column.hpp) as the dense column it stands for: 0 for most people.
template <class T>
void write_sparse(SnapshotWriter& w, const Population::ColumnRef& col) {
  const auto* values = dynamic_cast<const SparseColumn<T>*>(col.sparse);
  if (!values) throw std::logic_error("sparse column " + col.info.name + " of another type");
  w.sparse_column<T>(col.info, values);
}

void write_sparse(SnapshotWriter& w, const Population::ColumnRef& col) {
  switch (col.info.type) {
    case ColumnType::U8:
      return write_sparse<std::uint8_t>(w, col);
    case ColumnType::I16:
      return write_sparse<std::int16_t>(w, col);
    case ColumnType::U16:
      return write_sparse<std::uint16_t>(w, col);
    case ColumnType::I32:
      return write_sparse<std::int32_t>(w, col);
    case ColumnType::U32:
      return write_sparse<std::uint32_t>(w, col);
    case ColumnType::F32:
      return write_sparse<float>(w, col);
    case ColumnType::F64:
      return write_sparse<double>(w, col);
    case ColumnType::Coded16:  // the value each code stands for, person by person
      if (col.info.coding.written_as == ColumnType::I32)
        return w.computed_column<std::int32_t>(col.info, [col](std::size_t i) {
          return static_cast<std::int32_t>(column_value(col, i));
        });
      return w.computed_column<float>(
          col.info, [col](std::size_t i) { return static_cast<float>(column_value(col, i)); });
  }
}

void write_snapshot(const h5::Group& g, const RunResult& run, RawDataWriter& raw,
                    std::size_t raw_from) {
  SnapshotWriter w(g, run.population.size(), raw, raw_from);
  for (const auto& col : run.population.columns()) {
    if (!col.info.in_snapshot) continue;
    const ColumnInfo& info = col.info;
    if (col.sparse) {
      write_sparse(w, col);
      continue;
    }
    switch (col.info.type) {
      case ColumnType::U8:
        w.column(info, static_cast<const std::uint8_t*>(col.data));
        break;
      case ColumnType::I16:
        w.column(info, static_cast<const std::int16_t*>(col.data));
        break;
      case ColumnType::U16:
        w.column(info, static_cast<const std::uint16_t*>(col.data));
        break;
      case ColumnType::I32:
        w.column(info, static_cast<const std::int32_t*>(col.data));
        break;
      case ColumnType::U32:
        w.column(info, static_cast<const std::uint32_t*>(col.data));
        break;
      case ColumnType::F32:
        w.column(info, static_cast<const float*>(col.data));
        break;
      case ColumnType::F64:
        w.column(info, static_cast<const double*>(col.data));
        break;
      case ColumnType::Coded16:
        if (info.coding.written_as == ColumnType::I32)
          write_coded<std::int32_t>(w, col);
        else
          write_coded<float>(w, col);
        break;
    }
  }
  // Lookup columns are written as columns, so readers need not know how they are kept; computed
  // as they are written, so that writing one costs no memory per person (a whole copy would be 4
  // bytes a person, at the run's peak).
  for (const auto& col : run.population.lookups()) {
    if (!col.info.in_snapshot) continue;
    const Population::LookupRef values = col;
    w.computed_column<float>(col.info, [values](std::size_t i) { return values[i]; });
  }
}

void write_trace(const h5::Group& g, const RunResult& run) {
  const std::size_t n = run.trace.agents.size(), days = static_cast<std::size_t>(run.days);
  g.write("agent", run.trace.agents, {n});
  std::vector<std::int32_t> day(days);
  for (std::size_t d = 0; d < days; ++d)
    day[d] = static_cast<std::int32_t>(d);
  g.write("day", day, {days});
  for (std::size_t v = 0; v < run.trace.variables.size(); ++v) {
    g.write(run.trace.variables[v], run.trace.values.data() + v * days * n, {days, n})
        .attr("unit", run.trace.units[v]);
  }
}

void write_rest(const h5::Group& root, const Scenario& sc, const Runs& runs,
                const RunMetadata& meta, RawDataWriter& raw, std::size_t raw_from) {
  const RunResult& run = *runs.front();
  root.attr("format", std::string(kResultFormatName));
  root.attr("format_version", static_cast<std::int64_t>(kResultFormatVersion));
  const h5::Group m = root.create_group("metadata");
  m.attr("scenario_name", sc.name);
  m.attr("scenario_description", sc.description);
  m.attr("scenario_file", sc.file.string());
  m.attr("version", std::string(version()));
  m.attr("git_commit", std::string(git_commit()));
  m.attr("seed", static_cast<std::int64_t>(run.seed));
  m.attr("replicates", static_cast<std::int64_t>(runs.size()));
  std::vector<std::uint32_t> seeds;
  for (const RunResult* r : runs)
    seeds.push_back(static_cast<std::uint32_t>(r->seed));
  m.write("replicate_seeds", seeds, {seeds.size()});
  m.attr("agents", static_cast<std::int64_t>(run.agents));
  m.attr("days", static_cast<std::int64_t>(run.days));
  m.attr("years", run.days / kDaysPerYear);
  m.attr("period_days", static_cast<std::int64_t>(sc.params.integer("output.period_days")));
  m.attr("threads", static_cast<std::int64_t>(run.threads));
  double wall = 0;
  for (const RunResult* r : runs)
    wall += r->wall_seconds;
  m.attr("wall_seconds", wall);
  m.attr("command_line", meta.command_line);
  m.attr("created_utc", meta.created_utc);
  m.write_text("scenario_toml", sc.resolved_toml());

  write_series(root.create_group("series"), runs);
  if (sc.params.boolean("output.snapshot"))
    write_snapshot(root.create_group("snapshot"), run, raw, raw_from);
  if (!run.trace.agents.empty()) write_trace(root.create_group("trace"), run);
  const h5::Group summary = root.create_group("summary");
  for (const Headline& h : mean_headlines(runs))
    summary.attr(h.name, h.value);
}

// A guess of the first run's events, for the event table's chunks: the baseline logs about 2.5
// events a person-year (deaths, stays, bed rests, falls...), programmes add theirs.
std::size_t expected_events(const Scenario& sc) {
  constexpr double kEventsPerPersonYear = 3;
  const double person_years =
      static_cast<double>(sc.params.integer("run.agents")) * sc.params.real("run.years");
  return static_cast<std::size_t>(kEventsPerPersonYear * person_years);
}

}  // namespace

// The open file; declared here so that result_file.hpp needs no HDF5.
struct ResultWriter::Open {
  h5::File file;
  h5::Group root;
  std::optional<h5::Group> events;
  std::optional<EventTableWriter> table;
  explicit Open(const std::string& path) : file(h5::File::create(path)), root(file.root()) {}
};

ResultWriter::ResultWriter(fs::path out, const Scenario& scenario, WriteOptions options)
    : out_(std::move(out)), tmp_(temporary_path_for(out_)), scenario_(scenario), options_(options) {
  try {
    open_ = std::make_unique<Open>(tmp_.string());
    open_->root.set_deflate(static_cast<int>(scenario.params.integer("output.compression")));
    if (scenario.params.boolean("output.events")) {
      open_->events.emplace(open_->root.create_group("events"));
      open_->table.emplace(*open_->events, expected_events(scenario));
    }
  } catch (...) {
    discard();
    throw;
  }
}

ResultWriter::~ResultWriter() {
  if (!finished_) discard();
}

void ResultWriter::discard() noexcept {
  open_.reset();  // closes every handle before the file goes
  std::error_code ignore;
  fs::remove(tmp_, ignore);
}

void ResultWriter::append_events(std::span<const Event> events) {
  if (open_->table) open_->table->append(events);
}

std::function<void(std::span<const Event>)> ResultWriter::event_sink() {
  return [this](std::span<const Event> events) { append_events(events); };
}

void ResultWriter::finish(const std::vector<const RunResult*>& runs, const RunMetadata& meta) {
  append_events(runs.front()->events);  // all of them unless the run passed them on as it went
  if (open_->events) write_event_names(*open_->events, *runs.front());
  RawDataWriter raw;
  write_rest(open_->root, scenario_, runs, meta, raw, options_.raw_from_bytes);
  open_->table.reset();
  open_->events.reset();
  open_->file.close();
  open_.reset();
  raw.write_into(tmp_.string());  // HDF5 has laid the file out; the large columns' bytes go in
  move_into_place(tmp_, out_);    // checked again: a FIFO may have appeared during the run
  finished_ = true;
}

void ResultWriter::finish(const std::vector<RunResult>& runs, const RunMetadata& meta) {
  Runs pointers;
  for (const RunResult& r : runs)
    pointers.push_back(&r);
  finish(pointers, meta);
}

void write_result(const fs::path& out, const Scenario& sc, const RunResult& run,
                  const RunMetadata& meta) {
  ResultWriter(out, sc).finish(Runs{&run}, meta);
}

void write_result(const fs::path& out, const Scenario& sc, const std::vector<RunResult>& runs,
                  const RunMetadata& meta) {
  ResultWriter(out, sc).finish(runs, meta);
}

void check_hdf5_survives(const fs::path& file, const std::function<void()>& read) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return;  // cannot check; read directly
  if (pid == 0) {
    // The child only says, by how it ends, whether the library survived: it prints nothing
    // (not even a sanitizer's report of the crash).
    if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) ::dup2(null, STDERR_FILENO);
    // Plain deaths: no handler inherited from the parent (a fuzzer's, a sanitizer's) may act.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
      std::signal(sig, SIG_DFL);
    try {
      read();
    } catch (...) {
    }
    ::_exit(0);
  }
  // A corrupt file may also make the library loop: give the reading 20 seconds.
  int status = 0;
  for (int ms = 0; ::waitpid(pid, &status, WNOHANG) == 0; ++ms) {
    if (ms == 20000) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      throw IoError(file.string() + ": corrupt file (reading it did not finish in 20 s)");
    }
    ::usleep(1000);
  }
  if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0))
    throw IoError(file.string() + ": corrupt file (reading it crashed the HDF5 library)");
}

namespace {
enum class Reading { headlines, whole };  // what of a result file read_result_info_unchecked reads
ResultInfo read_result_info_unchecked(const fs::path& path, Reading what);
}  // namespace

ResultInfo read_result_info(const fs::path& path) {
  check_hdf5_survives(path, [&] { (void)read_result_info_unchecked(path, Reading::whole); });
  return read_result_info_unchecked(path, Reading::whole);
}

ResultInfo read_result_summary(const fs::path& path) {
  check_hdf5_survives(path, [&] { (void)read_result_info_unchecked(path, Reading::headlines); });
  return read_result_info_unchecked(path, Reading::headlines);
}

namespace {
// Counts and days in full (200000 agents, not 2e+05, the shortest form); other numbers as short.
std::string readable_number(double x) {
  if (std::abs(x) < 1e15 && x == std::trunc(x)) return std::to_string(static_cast<long long>(x));
  return format_number(x);
}

ResultInfo read_result_info_unchecked(const fs::path& path, Reading what) {
  const h5::File file = h5::File::open_read(path.string());
  const h5::Group root = file.root();
  const auto format = root.attr_string("format");
  if (!format || *format != kResultFormatName)
    throw IoError(path.string() + ": not a sarcosim result file (no format = \"" +
                  std::string(kResultFormatName) + "\" attribute)");
  const auto fv = root.attr_number("format_version");
  if (!fv || *fv != kResultFormatVersion)
    throw IoError(path.string() + ": result format version " + (fv ? format_number(*fv) : "?") +
                  " is not the version this program reads (" +
                  std::to_string(kResultFormatVersion) + ")");
  ResultInfo info;
  const h5::Group summary = root.open_group("summary");
  for (const auto& name : summary.attr_names())
    if (auto x = summary.attr_number(name)) info.summary.emplace_back(name, readable_number(*x));
  if (what == Reading::headlines) return info;
  const h5::Group m = root.open_group("metadata");
  for (const auto& name : m.attr_names()) {
    if (auto s = m.attr_string(name))
      info.metadata[name] = *s;
    else if (auto x = m.attr_number(name))
      info.metadata[name] = readable_number(*x);
  }
  const h5::Group series = root.open_group("series");
  for (const auto& name : series.children())
    if (series.dataset_attr_string(name, "kind")) info.series.push_back(name);
  const auto periods = series.shape("period_start_day");
  info.periods = periods.empty() ? 0 : periods[0];
  info.replicates = static_cast<std::size_t>(m.attr_number("replicates").value_or(1));
  if (root.has("snapshot")) info.snapshot_columns = root.open_group("snapshot").children();
  // The log's length from its shape: reading it would take seconds and gigabytes for a long run.
  if (root.has("events")) {
    const auto events = root.open_group("events").shape("day");
    info.events = events.empty() ? 0 : events[0];
  }
  return info;
}

}  // namespace

}  // namespace sarcosim
