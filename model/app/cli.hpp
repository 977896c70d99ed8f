// Argument helpers shared by the subcommands: each error names the argument and what is allowed.
#pragma once

#include <string>
#include <vector>

namespace sarcosim::cli {

// Walks argv; options may be given as "--name value" or "--name=value".
class Args {
 public:
  Args(std::vector<std::string> args) : args_(std::move(args)) {}
  bool done() const { return pos_ >= args_.size(); }
  const std::string& peek() const { return args_[pos_]; }
  std::string next() { return args_[pos_++]; }
  // If the next argument is `name` (or `name=...`), consumes it and its value.
  bool option(const std::string& name, std::string& value);
  bool flag(const std::string& name);

 private:
  std::vector<std::string> args_;
  std::size_t pos_ = 0;
};

long long parse_integer(const std::string& arg, const std::string& text, long long min,
                        long long max);
double parse_real(const std::string& arg, const std::string& text, double min, double max);

[[noreturn]] void usage_error(const std::string& message);

int run_command(Args& args, const std::string& command_line);
int info_command(Args& args);
int params_command(Args& args);
int validate_command(Args& args);
int outputs_command(Args& args);
int compare_command(Args& args);
int sweep_command(Args& args);

}  // namespace sarcosim::cli
