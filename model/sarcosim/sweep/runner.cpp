#include "sarcosim/sweep/runner.hpp"

#include <atomic>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "sarcosim/core/csv.hpp"
#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim {
namespace fs = std::filesystem;

fs::path run_file(const fs::path& dir, int index) {
  std::ostringstream s;
  s << "run_" << std::setw(6) << std::setfill('0') << index << ".h5";
  return dir / "runs" / s.str();
}

fs::path error_file(const fs::path& dir, int index) {
  fs::path p = run_file(dir, index);
  p.replace_extension(".error");
  return p;
}

namespace {

// RFC 4180: quote a cell holding a comma, quote or newline, and double its quotes.
std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The run list and the settings every run shares: what identifies a sweep. Resuming into a
// directory that holds another sweep is refused.
std::string plan_body(const SweepPlan& plan) {
  std::ostringstream out;
  out << "# replicates " << plan.replicates << ";";
  for (const auto& o : plan.overrides)
    out << " " << o;
  out << "\nrun";
  for (const auto& p : plan.parameters)
    out << "," << p;
  out << "\n";
  for (const SweepRun& run : plan.runs) {
    out << run.index;
    for (const auto& p : plan.parameters)
      out << "," << csv_cell(run.value_of(p));
    out << "\n";
  }
  return out.str();
}

// Writes `text` to `file` whole or not at all: under a temporary name, checked once closed (a small
// file reaches the disk only then), renamed into place; the temporary file removed on failure.
void write_text_file(const fs::path& file, const std::string& text) {
  const fs::path tmp = temporary_path_for(file);
  try {
    std::ofstream out(tmp);
    out << text;
    out.close();
    if (out.fail()) throw IoError(file.string() + ": cannot write (disk full?)");
    move_into_place(tmp, file);
  } catch (...) {
    std::error_code ignore;
    fs::remove(tmp, ignore);
    throw;
  }
}

void write_plan_csv_file(const SweepPlan& plan, const fs::path& dir) {
  const std::string body = plan_body(plan);
  refuse_special_file(dir / "plan.csv", "");  // a FIFO would block the read below
  if (fs::exists(dir / "plan.csv")) {
    std::ifstream in(dir / "plan.csv");
    std::string first;
    std::getline(in, first);  // the comment naming the files, which may be given differently
    const std::string old_body((std::istreambuf_iterator<char>(in)), {});
    if (old_body != body)
      throw InputError(dir.string() +
                       " holds the runs of a different sweep (its plan.csv differs from " +
                       plan.file.string() + "): use a new output directory, or delete it");
  }
  write_text_file(dir / "plan.csv", "# sweep " + plan.name + " from " + plan.file.string() +
                                        ", base " + plan.base.string() + ", method " + plan.method +
                                        "\n" + body);
}

// The base scenario as the runs read it, every parameter resolved, kept beside the plan: a sweep
// resumed after its base file changed would put runs of two models in one index, so it is
// refused. The file also shows later which model a sweep ran.
void write_base_scenario_file(const SweepPlan& plan, const fs::path& dir) {
  const std::string resolved = load_scenario(plan.base, {}).resolved_toml();
  const fs::path kept = dir / "base_scenario.toml";
  if (fs::exists(kept)) {
    std::ifstream in(kept);
    const std::string old((std::istreambuf_iterator<char>(in)), {});
    if (old != resolved)
      throw InputError(dir.string() + " holds runs of this sweep with another base scenario (" +
                       kept.string() + " differs from " + plan.base.string() +
                       " as it reads now): use a new output directory, or delete it");
    return;
  }
  write_text_file(kept, resolved);
}

}  // namespace

void prepare_sweep_dir(const SweepPlan& plan, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir / "runs", ec);
  if (ec) throw IoError(dir.string() + ": cannot create the sweep directory: " + ec.message());
  write_plan_csv_file(plan, dir);
  write_base_scenario_file(plan, dir);
}

// A run's file is complete when it exists (written under a temporary name, then renamed), unless
// something damaged it since.
bool run_finished(const fs::path& dir, int index) {
  const fs::path file = run_file(dir, index);
  if (!fs::exists(file)) return false;
  try {
    read_result_summary(file);
    return true;
  } catch (const std::exception& e) {
    std::cerr << "sarcosim sweep: " << file.string() << " cannot be read (" << e.what()
              << "): running it again\n";
    std::error_code ignore;
    fs::remove(file, ignore);
    return false;
  }
}

std::string run_one(const SweepPlan& plan, const SweepRun& run, const fs::path& dir, int threads,
                    const std::atomic<bool>* stop) {
  const fs::path out = run_file(dir, run.index);
  std::error_code ignore;
  fs::remove(error_file(dir, run.index), ignore);
  try {
    Scenario sc = load_scenario(plan.base, plan.assignments(run));
    sc.name = plan.name + "/run_" + std::to_string(run.index);
    ResultWriter writer(out, sc);
    RunOptions opt;
    opt.threads = threads;
    opt.stop = stop;
    opt.event_sink = writer.event_sink();
    const auto runs = run_replicates(sc, plan.replicates, opt);
    // One file written at a time. Debian's HDF5 is thread-safe by one lock around each call;
    // two workers writing at once handed it to and fro for every call of their thousands, and
    // a sweep of small runs took longer with two workers than with one. So one run's file is
    // written while the other worker runs its people (200 runs of 5,000 people x 2 years,
    // 2 workers: 13.1 s -> 9.9 s). Many processes (--shard, mpirun) each have their own lock.
    static std::mutex writing;
    const std::lock_guard<std::mutex> lock(writing);
    writer.finish(
        runs,
        {"sarcosim sweep " + plan.file.string() + " (run " + std::to_string(run.index) + ")", ""});
    return {};
  } catch (const Interrupted& e) {
    return e.what();
  } catch (const std::exception& e) {
    std::ofstream(error_file(dir, run.index)) << e.what() << "\n";
    return e.what();
  }
}

SweepReport run_sweep(const SweepPlan& plan, const fs::path& dir, const SweepOptions& options) {
  if (options.shard == 0) {
    prepare_sweep_dir(plan, dir);
  } else {
    std::error_code ec;
    fs::create_directories(dir / "runs", ec);
    if (ec) throw IoError(dir.string() + ": cannot create the sweep directory: " + ec.message());
  }

  std::vector<const SweepRun*> todo;
  SweepReport report;
  for (const SweepRun& run : plan.runs) {
    if (run.index % options.shards != options.shard) continue;
    if (run_finished(dir, run.index)) {
      ++report.skipped;
      continue;
    }
    todo.push_back(&run);
  }
  const int jobs = options.jobs > 0
                       ? options.jobs
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0};
  std::mutex print;
  auto stopped = [&] { return options.stop && options.stop->load(); };
  auto worker = [&] {
    for (std::size_t k; !stopped() && (k = next++) < todo.size();) {
      const std::string error = run_one(plan, *todo[k], dir, options.threads, options.stop);
      if (!error.empty() && stopped()) return;  // undone, not failed
      std::lock_guard<std::mutex> lock(print);
      if (error.empty()) {
        ++report.done;
      } else {
        ++report.failed;
        std::cerr << "sarcosim sweep: run " << todo[k]->index << " failed: " << error << "\n";
      }
      if (!options.quiet)
        std::cerr << "  run " << todo[k]->index << (error.empty() ? " done" : " FAILED") << " ("
                  << report.done + report.failed << "/" << todo.size() << ")\n";
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::min<int>(jobs, static_cast<int>(todo.size())); ++j)
    pool.emplace_back(worker);
  for (auto& t : pool)
    t.join();
  if (stopped())
    throw Interrupted("sweep stopped by a signal after " + std::to_string(report.done) + " runs (" +
                      std::to_string(report.failed) + " failed); the same command finishes it");
  return report;
}

namespace {

// What the index files hold: the plan's table, and each run's status, error, file and outcomes.
struct SweepIndex {
  CsvTable plan;
  std::vector<std::string> status, error, files;
  std::vector<std::string> outcome_names;
  std::vector<std::map<std::string, double>> outcomes;
};

SweepIndex collect_sweep_index(const fs::path& dir) {
  SweepIndex x{read_csv(dir / "plan.csv"), {}, {}, {}, {}, {}};
  const std::size_t n = x.plan.rows.size();
  x.status.resize(n);
  x.error.resize(n);
  x.files.resize(n);
  x.outcomes.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    const int index = static_cast<int>(x.plan.number(r, 0));
    const fs::path f = run_file(dir, index);
    x.files[r] = fs::relative(f, dir).string();
    if (fs::exists(f)) {
      try {
        const ResultInfo info = read_result_summary(f);
        x.status[r] = "done";
        for (const auto& [name, value] : info.summary) {
          x.outcomes[r][name] = std::stod(value);
          if (std::find(x.outcome_names.begin(), x.outcome_names.end(), name) ==
              x.outcome_names.end())
            x.outcome_names.push_back(name);
        }
      } catch (const std::exception& e) {
        x.status[r] = "failed";
        x.error[r] = e.what();
      }
    } else if (fs::exists(error_file(dir, index))) {
      x.status[r] = "failed";
      std::ifstream in(error_file(dir, index));
      std::getline(in, x.error[r]);
    } else {
      x.status[r] = "missing";
    }
  }
  return x;
}

// CSV: one call in pandas (pd.read_csv) or R (read.csv) loads the whole sweep. `shown` is the
// name errors give (the final one: the temporary file is removed on failure).
void write_index_csv(const SweepIndex& x, const fs::path& file, const fs::path& shown) {
  std::ofstream out(file);
  out << "run";
  for (std::size_t c = 1; c < x.plan.header.size(); ++c)
    out << "," << x.plan.header[c];
  out << ",status,error,file";
  for (const auto& o : x.outcome_names)
    out << "," << o;
  out << "\n";
  for (std::size_t r = 0; r < x.plan.rows.size(); ++r) {
    for (std::size_t c = 0; c < x.plan.header.size(); ++c)
      out << (c ? "," : "") << csv_cell(x.plan.rows[r][c]);
    out << "," << x.status[r] << "," << csv_cell(x.error[r]) << "," << x.files[r];
    for (const auto& o : x.outcome_names) {
      const auto it = x.outcomes[r].find(o);
      out << "," << (it == x.outcomes[r].end() ? "" : format_number(it->second));
    }
    out << "\n";
  }
  out.close();  // a small table reaches the disk only here: check after it
  if (out.fail()) throw IoError(shown.string() + ": cannot write (disk full?)");
}

// HDF5: the same table as columns, plus an external link to every finished run's file.
void write_index_h5(const SweepIndex& x, const fs::path& file) {
  const std::size_t n = x.plan.rows.size();
  h5::File f = h5::File::create(file.string());
  const h5::Group root = f.root();
  root.attr("format", std::string("sarcosim-sweep-index"));
  const h5::Group runs = root.create_group("runs");
  std::vector<std::int32_t> idx(n);
  for (std::size_t r = 0; r < n; ++r)
    idx[r] = static_cast<std::int32_t>(x.plan.number(r, 0));
  runs.write("run", idx, {n});
  for (std::size_t c = 1; c < x.plan.header.size(); ++c) {
    std::vector<std::string> col(n);
    for (std::size_t r = 0; r < n; ++r)
      col[r] = x.plan.rows[r][c];
    runs.write_strings(x.plan.header[c], col);
  }
  runs.write_strings("status", x.status);
  runs.write_strings("error", x.error);
  runs.write_strings("file", x.files);
  for (const auto& o : x.outcome_names) {
    std::vector<double> col(n, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < n; ++r)
      if (auto it = x.outcomes[r].find(o); it != x.outcomes[r].end()) col[r] = it->second;
    runs.write(o, col, {n});
  }
  const h5::Group links = root.create_group("results");
  for (std::size_t r = 0; r < n; ++r)
    if (x.status[r] == "done" &&
        H5Lcreate_external(x.files[r].c_str(), "/", links.id(), fs::path(x.files[r]).stem().c_str(),
                           H5P_DEFAULT, H5P_DEFAULT) < 0)
      throw IoError(file.string() + ": cannot write the link to " + x.files[r] + " (disk full?)");
  f.close();
}

}  // namespace

// Both files are written under temporary names and renamed only when both are complete, so a
// failure (a full disk) leaves the previous index, or none, and no temporary file.
void write_sweep_index(const fs::path& dir) {
  const fs::path csv = dir / "index.csv", h5 = dir / "index.h5";
  refuse_special_file(csv, "");  // both before either is replaced
  refuse_special_file(h5, "");
  const SweepIndex index = collect_sweep_index(dir);
  const fs::path csv_tmp = temporary_path_for(csv), h5_tmp = temporary_path_for(h5);
  try {
    write_index_csv(index, csv_tmp, csv);
    write_index_h5(index, h5_tmp);
    move_into_place(h5_tmp, h5);
    move_into_place(csv_tmp, csv);
  } catch (...) {
    std::error_code ignore;
    fs::remove(csv_tmp, ignore);
    fs::remove(h5_tmp, ignore);
    throw;
  }
}

}  // namespace sarcosim
