// Helpers shared by the tests: small scenarios, temporary folders, and running the program.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim::test {

// A scenario from TOML text plus overrides, small by default (2000 agents, 2 years).
inline Scenario small_scenario(const std::vector<std::string>& overrides = {},
                               const std::string& toml = "") {
  std::vector<std::string> all = {"run.agents=2000", "run.years=2"};
  all.insert(all.end(), overrides.begin(), overrides.end());
  return parse_scenario_text(toml, "test.toml", all);
}

// A fresh empty folder under the system temporary directory, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sarcosim-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::FILE* f = std::fopen(p.c_str(), "w");
    std::fputs(text.c_str(), f);
    std::fclose(f);
    return p;
  }

 private:
  std::filesystem::path path_;
};

// The id of a run's event type by name; an unknown name throws, which fails the test.
inline EventTypeId event_type(const RunResult& r, const std::string& name) {
  const auto& types = r.registry.event_types();
  for (std::size_t k = 0; k < types.size(); ++k)
    if (types[k].name == name) return static_cast<EventTypeId>(k);
  throw std::invalid_argument("no event type " + name);
}

// A column's raw values, as a dense column holds them (a sparse one's 0 for most people), for
// comparing columns byte for byte.
inline std::vector<std::uint8_t> column_bytes(const Population& pop,
                                              const Population::ColumnRef& c) {
  std::vector<std::uint8_t> out(pop.size() * Population::element_size(c.info.type));
  if (c.sparse)
    c.sparse->copy_out(0, pop.size(), out.data());
  else if (!out.empty())
    std::memcpy(out.data(), c.data, out.size());
  return out;
}

// Every column's values by name, whether kept per person or as a table by mask (lookup columns),
// as the result file's snapshot holds them; only the snapshot's columns if `snapshot_only`.
inline std::map<std::string, std::vector<double>> column_values(const Population& pop,
                                                                bool snapshot_only) {
  std::map<std::string, std::vector<double>> out;
  for (const auto& c : pop.columns())
    if (c.info.in_snapshot || !snapshot_only)
      for (std::size_t i = 0; i < pop.size(); ++i)
        out[c.info.name].push_back(column_value(c, i));
  for (const auto& c : pop.lookups())
    if (c.info.in_snapshot || !snapshot_only)
      for (std::size_t i = 0; i < pop.size(); ++i)
        out[c.info.name].push_back(c[i]);
  return out;
}

// A run's result file, written to `dir` and open for reading, with its /snapshot group.
struct WrittenResult {
  h5::File file;
  h5::Group snapshot;
};
inline WrittenResult write_and_open(const TempDir& dir, const Scenario& sc, const RunResult& run) {
  write_result(dir / "r.h5", sc, run, {});
  h5::File f = h5::File::open_read((dir / "r.h5").string());
  h5::Group snapshot = f.root().open_group("snapshot");
  return {std::move(f), std::move(snapshot)};
}

struct CliResult {
  int exit_code;
  std::string out;  // stdout and stderr together
};

// Where run_cli runs the program, and where its standard output goes ("": captured with stderr;
// a file such as /dev/full: there, and only stderr is captured).
struct CliPlace {
  std::string cwd = SARCOSIM_SOURCE_DIR;
  std::string stdout_to;
};

// Runs the sarcosim program with `args` (a shell-quoted string), from the source directory unless
// `place` says otherwise.
inline CliResult run_cli(const std::string& args, const CliPlace& place = {}) {
  const std::string redirect =
      place.stdout_to.empty() ? " 2>&1" : " 2>&1 >'" + place.stdout_to + "'";
  const std::string cmd = "cd '" + place.cwd + "' && '" + SARCOSIM_BINARY + "' " + args + redirect;
  CliResult r{-1, {}};
  std::FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace sarcosim::test
