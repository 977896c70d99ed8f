// A scenario: a TOML file (optionally inheriting from a base file) plus command-line overrides,
// checked against the parameter dictionary and resolved into a complete ParamSet.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sarcosim/core/params.hpp"

namespace sarcosim {

struct Scenario {
  std::string name;
  std::string description;
  std::filesystem::path file;                // the file given on the command line
  std::vector<std::filesystem::path> chain;  // base files first, then `file`
  ParamSet params;                           // every parameter, defaults filled in

  // The complete resolved scenario as TOML: every parameter with its value. Running this text
  // as a scenario reproduces the run.
  std::string resolved_toml() const;
};

// Reads `file` (following `base = "..."` links, relative to each file) and applies `overrides`
// of the form "section.key=value". Throws InputError with a one-line message naming the file,
// line, key and allowed range.
Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& overrides = {},
                       const ParamDictionary& dict = dictionary());

// Parses TOML text as if it were a file called `name` (used by tests and by `--resume`).
Scenario parse_scenario_text(const std::string& text, const std::string& name,
                             const std::vector<std::string>& overrides = {},
                             const ParamDictionary& dict = dictionary());

// A scenario name names files (output/NAME.h5, NAME_day_N.h5 checkpoints): letters, digits, '_',
// '-' and '.', not starting with '.', so that it can never reach outside its folder.
bool is_valid_scenario_name(const std::string& name);

// Applies one "section.key=value" override; throws InputError naming `--set`.
void apply_override(ParamSet& params, const std::string& assignment,
                    const ParamDictionary& dict = dictionary());

}  // namespace sarcosim
