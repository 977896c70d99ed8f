#include "sarcosim/io/checkpoint_file.hpp"

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/version.hpp"
#include "sarcosim/io/event_table.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"

namespace sarcosim {
namespace fs = std::filesystem;

namespace {
constexpr const char* kFormat = "sarcosim-checkpoint";
}

void write_checkpoint_file(const fs::path& file, const Scenario& scenario, const CheckpointView& d,
                           std::int32_t day) {
  const fs::path tmp = temporary_path_for(file);
  try {
    {
      h5::File f = h5::File::create(tmp.string());
      const h5::Group root = f.root();
      root.attr("format", std::string(kFormat));
      root.attr("version", std::string(version()));
      root.attr("day", static_cast<std::int64_t>(day));
      root.attr("next_period", static_cast<std::int64_t>(d.next_period));
      root.write_text("scenario_toml", scenario.resolved_toml());
      root.attr("scenario_name", scenario.name);
      const h5::Group columns = root.create_group("columns");
      for (const auto& [name, bytes] : d.columns)
        columns.write(std::string(name), bytes.data(), {bytes.size()});
      root.write("series", d.series.data(), {d.series.size()});
      write_event_table(root.create_group("events"), d.events);
      root.write("trace", d.trace.data(), {d.trace.size()});
      const h5::Group extras = root.create_group("extras");
      for (const auto& [name, values] : d.extras)
        extras.write(name, values, {values.size()});
      f.close();
    }
    move_into_place(tmp, file);
  } catch (...) {
    std::error_code ignore;
    fs::remove(tmp, ignore);
    throw;
  }
}

LoadedCheckpoint read_checkpoint_file(const fs::path& file) {
  if (!fs::exists(file)) throw InputError("--resume: checkpoint not found: " + file.string());
  const h5::File f = h5::File::open_read(file.string());
  const h5::Group root = f.root();
  if (root.attr_string("format").value_or("") != kFormat)
    throw IoError(file.string() + ": not a sarcosim checkpoint");
  if (root.attr_string("version").value_or("") != version())
    throw IoError(file.string() + ": a checkpoint of sarcosim " +
                  root.attr_string("version").value_or("?") + "; this is " +
                  std::string(version()));
  LoadedCheckpoint c;
  c.scenario = parse_scenario_text(root.read_text("scenario_toml"), file.string());
  c.scenario.name = root.attr_string("scenario_name").value_or(c.scenario.name);
  c.day = static_cast<std::int32_t>(root.attr_number("day").value_or(0));
  c.data.next_period = static_cast<int>(root.attr_number("next_period").value_or(0));
  const h5::Group columns = root.open_group("columns");
  for (const auto& name : columns.children())
    c.data.columns.push_back({name, columns.read<std::uint8_t>(name)});
  c.data.series = root.read<double>("series");
  c.data.events = read_event_table(root.open_group("events"));
  c.data.trace = root.read<float>("trace");
  const h5::Group extras = root.open_group("extras");
  for (const auto& name : extras.children())
    c.data.extras.push_back({name, extras.read<double>(name)});
  return c;
}

}  // namespace sarcosim
