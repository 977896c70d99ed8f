#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <thread>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/event_table.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"
#include "support.hpp"

using namespace sarcosim;
using Catch::Matchers::Contains;

TEST_CASE("a result file round-trips series, metadata, scenario and snapshot", "[io]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=5"});
  const RunResult run = run_simulation(sc);
  const auto out = dir / "r.h5";
  write_result(out, sc, run, {"sarcosim run test", "2026-01-01T00:00:00Z"});
  REQUIRE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(temporary_path_for(out)));

  const ResultInfo info = read_result_info(out);
  CHECK(info.metadata.at("seed") == "5");
  CHECK(info.metadata.at("agents") == "2000");
  CHECK(info.periods == run.periods.size());
  CHECK(info.events == run.events.size());
  // A sweep's index reads the headline outcomes alone, the same as the whole reading gives.
  const ResultInfo headlines = read_result_summary(out);
  CHECK(headlines.summary == info.summary);
  CHECK(headlines.series.empty());

  const h5::File f = h5::File::open_read(out.string());
  const h5::Group root = f.root();
  std::vector<hsize_t> dims;
  const auto alive = root.open_group("series").read_doubles("alive", &dims);
  REQUIRE(dims == std::vector<hsize_t>{1, run.periods.size(), 2, AgeBands::kCount});
  double last = 0;
  for (int k = 0; k < 2 * AgeBands::kCount; ++k)
    last += alive[(run.periods.size() - 1) * 2 * AgeBands::kCount + k];
  CHECK(last == run.total(run.periods.size() - 1, run.registry.alive));
  // The stored scenario reproduces the run's parameters.
  const Scenario again =
      parse_scenario_text(root.open_group("metadata").read_text("scenario_toml"), "x");
  CHECK(again.params.integer("run.seed") == 5);
  const auto grip = root.open_group("snapshot").read_doubles("grip_kg", &dims);
  CHECK(dims[0] == run.population.size());
}

TEST_CASE("what a result file holds shows counts in full", "[io]") {
  // The shortest form of 100000 is 1e+05: `sarcosim info` shows agents and deaths as counts.
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.agents=100000", "run.years=0.01"});
  write_result(dir / "r.h5", sc, run_simulation(sc), {});
  const ResultInfo info = read_result_info(dir / "r.h5");
  CHECK(info.metadata.at("agents") == "100000");
  for (const auto& [name, value] : info.summary)
    if (name == "agents") CHECK(value == "100000");
}

TEST_CASE("files that are not sarcosim results are refused with a clear message", "[io][errors]") {
  test::TempDir dir;
  const auto text = dir.write("notes.txt", "hello");
  CHECK_THROWS_WITH(read_result_info(text), Contains("notes.txt") && Contains("not an HDF5 file"));
  {
    h5::File f = h5::File::create((dir / "other.h5").string());
    f.root().create_group("data");
    f.close();
  }
  CHECK_THROWS_WITH(read_result_info(dir / "other.h5"), Contains("not a sarcosim result file"));
  CHECK_THROWS_WITH(read_result_summary(dir / "other.h5"), Contains("not a sarcosim result file"));
  // A truncated result file.
  const Scenario sc = test::small_scenario();
  write_result(dir / "good.h5", sc, run_simulation(sc), {});
  std::filesystem::resize_file(dir / "good.h5", std::filesystem::file_size(dir / "good.h5") / 2);
  CHECK_THROWS_AS(read_result_info(dir / "good.h5"), IoError);
  CHECK_THROWS_AS(read_result_summary(dir / "good.h5"), IoError);
}

TEST_CASE("output paths are checked before a run", "[io][errors]") {
  test::TempDir dir;
  CHECK_THROWS_WITH(check_output_path(dir / "missing/r.h5", false), Contains("does not exist"));
  dir.write("present.h5", "x");
  CHECK_THROWS_WITH(check_output_path(dir / "present.h5", false),
                    Contains("already present") && Contains("--force"));
  CHECK_NOTHROW(check_output_path(dir / "present.h5", true));
  CHECK_THROWS_WITH(check_output_path("/proc/sarcosim-result.h5", false), Contains("cannot write"));
}

TEST_CASE("an output path that is a FIFO is refused, with or without --force", "[io][errors]") {
  test::TempDir dir;
  const auto fifo = dir / "fifo.h5";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  for (const bool force : {false, true})
    CHECK_THROWS_WITH(check_output_path(fifo, force), Contains("not a regular file"));
  // Checked again where the finished file is renamed, for one that appears during a run.
  const Scenario sc = test::small_scenario({"run.years=0.1"});
  CHECK_THROWS_AS(write_result(fifo, sc, run_simulation(sc), {}), IoError);
  CHECK(std::filesystem::is_fifo(fifo));
  CHECK_FALSE(std::filesystem::exists(temporary_path_for(fifo)));
}

TEST_CASE("HDF5 prints no error stack from any thread", "[io][errors]") {
  // A thread-safe HDF5 keeps one error stack per thread: silencing only the first thread to use
  // HDF5 let the main thread print dozens of HDF5-DIAG lines after a sweep's workers had run.
  test::TempDir dir;
  (void)h5::File::create((dir / "first.h5").string());  // this thread uses HDF5 first
  const auto captured = dir / "stderr.txt";
  std::thread other([&] {
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDERR_FILENO);
    CHECK_THROWS_AS(h5::File::create((dir / "no" / "such" / "x.h5").string()), IoError);
    std::fflush(stderr);
    ::dup2(saved, STDERR_FILENO);
    ::close(fd);
    ::close(saved);
  });
  other.join();
  CHECK(std::filesystem::file_size(captured) == 0);
}

TEST_CASE("a failed write leaves no file at the output path", "[io][errors]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario();
  const RunResult run = run_simulation(sc);
  const auto out = dir / "gone" / "r.h5";  // the directory does not exist
  CHECK_THROWS_AS(write_result(out, sc, run, {}), IoError);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(temporary_path_for(out)));
}

TEST_CASE("a result file written as the run goes equals one written at the end", "[io]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=3"});
  const RunResult held = run_simulation(sc);
  write_result(dir / "held.h5", sc, held, {});
  RunResult streamed;
  {
    ResultWriter writer(dir / "streamed.h5", sc);
    RunOptions opt;
    opt.event_sink = writer.event_sink();
    streamed = run_simulation(sc, opt);
    CHECK(streamed.events.empty());                             // passed on, not kept
    CHECK_FALSE(std::filesystem::exists(dir / "streamed.h5"));  // not before finish()
    writer.finish({&streamed}, {});
  }
  REQUIRE(held.events.size() > 1000);
  // Handed on in small batches, a period's events come in many calls cut anywhere (within a day,
  // within a block), and the log is the same.
  std::size_t calls = 0, most = 0;
  {
    ResultWriter writer(dir / "batched.h5", sc);
    RunOptions opt;
    opt.event_sink = [&, sink = writer.event_sink()](std::span<const Event> events) {
      ++calls;
      most = std::max(most, events.size());
      sink(events);
    };
    opt.event_sink_batch = 97;
    RunResult batched = run_simulation(sc, opt);
    writer.finish({&batched}, {});
  }
  CHECK(calls >= held.events.size() / 97);
  CHECK(most == 97);
  auto events_of = [&](const char* name) {
    const h5::File f = h5::File::open_read((dir / name).string());
    return read_event_table(f.root().open_group("events"));
  };
  const auto a = events_of("held.h5");
  REQUIRE(a.size() == held.events.size());
  for (const char* name : {"streamed.h5", "batched.h5"}) {
    const auto b = events_of(name);
    REQUIRE(b.size() == held.events.size());
    std::size_t differ = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
      differ += a[k].agent != b[k].agent || a[k].day != b[k].day || a[k].type != b[k].type ||
                a[k].detail != b[k].detail || a[k].agent != held.events[k].agent;
    CHECK(differ == 0);
  }
  CHECK(read_result_info(dir / "streamed.h5").events == held.events.size());
}

TEST_CASE("a result writer destroyed unfinished leaves no file", "[io][errors]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario();
  const auto out = dir / "r.h5";
  {
    ResultWriter writer(out, sc);
    writer.append_events(run_simulation(sc).events);
    CHECK(std::filesystem::exists(temporary_path_for(out)));
  }  // as when a run fails or is interrupted
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(temporary_path_for(out)));
}

TEST_CASE("traced people's daily state is written to /trace", "[io][trace]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario(
      {"output.trace=4", "run.years=0.2", "cohort.exposure=bed_rest", "cohort.start_day=5"});
  const RunResult run = run_simulation(sc);
  write_result(dir / "t.h5", sc, run, {});
  const h5::File f = h5::File::open_read((dir / "t.h5").string());
  const h5::Group trace = f.root().open_group("trace");
  std::vector<hsize_t> dims;
  const auto alm = trace.read_doubles("alm_kg", &dims);
  REQUIRE(dims == std::vector<hsize_t>{static_cast<hsize_t>(run.days), 4});
  // Cohort members are traced first; their bed rest (from day 5, 10 days) shows as disuse kind 1.
  const auto member = trace.read_doubles("cohort.member");
  const auto disuse = trace.read_doubles("disuse.kind");
  CHECK(member[0] == 1);
  CHECK(disuse[4 * 4 + 0] == 0);
  CHECK(disuse[5 * 4 + 0] == 1);
  CHECK(alm[14 * 4 + 0] < alm[4 * 4 + 0]);  // lean mass fell during the bed rest
}

TEST_CASE("a trace spans its cohort and shows each day's own values, quiet days or not",
          "[io][trace]") {
  const std::vector<std::string> common = {"output.trace=40", "run.years=0.3",
                                           "cohort.exposure=bed_rest", "cohort.start_day=5"};
  auto daily = common;
  daily.push_back("run.quiet_periods=false");
  const RunResult quiet = run_simulation(test::small_scenario(common));
  const RunResult stepped = run_simulation(test::small_scenario(daily));
  // Traced people step every day: with quiet days their daily values are those of daily steps
  // (before, a quiet stretch showed all at once on the day it was applied).
  CHECK(quiet.trace.agents == stepped.trace.agents);
  CHECK(quiet.trace.values == stepped.trace.values);
  // Spread over the cohort (stored oldest first), not its first, oldest, members.
  const auto member = quiet.population.get_sparse<std::uint8_t>("cohort.member");
  std::vector<std::uint32_t> members;
  for (std::uint32_t i = 0; i < quiet.population.size(); ++i)
    if (member[i]) members.push_back(i);
  REQUIRE(members.size() > 80);
  CHECK(quiet.trace.agents.front() == members.front());
  CHECK(quiet.trace.agents.back() > members[members.size() * 9 / 10]);
}

TEST_CASE("replicates share one file with a leading replicate axis", "[io][replicates]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=10"});
  const auto runs = run_replicates(sc, 3);
  REQUIRE(runs.size() == 3);
  CHECK(runs[1].seed == 11);
  CHECK(runs[2].seed == 12);
  CHECK(runs[1].events.capacity() == 0);  // later replicates never hold an event log
  write_result(dir / "r.h5", sc, runs, {});
  CHECK(read_result_info(dir / "r.h5").replicates == 3);
  const h5::File f = h5::File::open_read((dir / "r.h5").string());
  std::vector<hsize_t> dims;
  const auto deaths = f.root().open_group("series").read_doubles("deaths", &dims);
  REQUIRE(dims[0] == 3);
  // Replicate 1 is exactly a run with seed 11.
  const RunResult alone = run_simulation(test::small_scenario({"run.seed=11"}));
  const std::size_t cells = dims[1] * dims[2] * dims[3];
  for (std::size_t p = 0; p < runs[1].periods.size(); ++p)
    CHECK(alone.total(p, alone.registry.deaths) == runs[1].total(p, runs[1].registry.deaths));
  double file_total = 0;
  for (std::size_t k = cells; k < 2 * cells; ++k)
    file_total += deaths[k];
  double run_total = 0;
  for (std::size_t p = 0; p < runs[1].periods.size(); ++p)
    run_total += runs[1].total(p, runs[1].registry.deaths);
  CHECK(file_total == run_total);
}

TEST_CASE("datasets written by slices hold every value, across slice boundaries", "[io]") {
  test::TempDir dir;
  {
    h5::File f = h5::File::create((dir / "s.h5").string());
    const h5::Group g = f.root();
    // 10 values by slices of 3 (the last one short), one slice exactly, and none.
    g.write_by_slices<std::int32_t>(
        "ten", 10, [](std::size_t k) { return 100 + int(k); }, 3);
    g.write_by_slices<float>(
        "three", 3, [](std::size_t k) { return 0.5f * float(k); }, 3);
    g.write_by_slices<std::uint16_t>(
        "none", 0, [](std::size_t) { return std::uint16_t{1}; }, 3);
    f.close();
  }
  const h5::File f = h5::File::open_read((dir / "s.h5").string());
  const auto ten = f.root().read<std::int32_t>("ten");
  REQUIRE(ten.size() == 10);
  for (std::size_t k = 0; k < ten.size(); ++k)
    CHECK(ten[k] == 100 + int(k));
  CHECK(f.root().read<float>("three") == std::vector<float>{0.0f, 0.5f, 1.0f});
  CHECK(f.root().read<std::uint16_t>("none").empty());
}

TEST_CASE("lookup columns are written to the snapshot as each person's value", "[io]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=6"});
  const RunResult run = run_simulation(sc);
  const auto [file, snapshot] = test::write_and_open(dir, sc, run);
  int written = 0;
  for (const auto& col : run.population.lookups()) {
    if (!col.info.in_snapshot) continue;
    const auto values = snapshot.read<float>(col.info.name);
    REQUIRE(values.size() == run.population.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      REQUIRE(values[i] == col[i]);
    ++written;
  }
  CHECK(written >= 5);  // disease's five effects at least
}

TEST_CASE("snapshot columns written as raw data equal those HDF5 writes", "[io]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=7"});
  const RunResult run = run_simulation(sc);
  // Every column as raw data (past the page cache where the file system allows), against none.
  WriteOptions raw;
  raw.raw_from_bytes = 1;
  WriteOptions hdf5;
  hdf5.raw_from_bytes = SIZE_MAX;
  ResultWriter by_raw(dir / "raw.h5", sc, raw);
  by_raw.finish(std::vector<const RunResult*>{&run}, {});
  ResultWriter(dir / "hdf5.h5", sc, hdf5).finish(std::vector<const RunResult*>{&run}, {});

  const h5::File a = h5::File::open_read((dir / "raw.h5").string());
  const h5::File b = h5::File::open_read((dir / "hdf5.h5").string());
  const h5::Group sa = a.root().open_group("snapshot"), sb = b.root().open_group("snapshot");
  const auto names = sb.children();
  REQUIRE(sa.children() == names);
  REQUIRE(names.size() > 40);
  for (const std::string& name : names) {
    INFO(name);
    const auto x = sa.read_doubles(name), y = sb.read_doubles(name);
    REQUIRE(x.size() == run.population.size());
    CHECK(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
    CHECK(sa.dataset_attr_string(name, "unit") == sb.dataset_attr_string(name, "unit"));
  }
  // Series and events are HDF5's either way.
  CHECK(a.root().open_group("series").read_doubles("alive") ==
        b.root().open_group("series").read_doubles("alive"));
  CHECK(read_result_info(dir / "raw.h5").events == run.events.size());
}
