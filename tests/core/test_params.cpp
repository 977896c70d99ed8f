#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "sarcosim/core/params.hpp"
#include "support.hpp"

using namespace sarcosim;

TEST_CASE("every parameter has a description, a source and a default in range", "[params]") {
  for (const auto& p : dictionary().all()) {
    INFO(p.key);
    CHECK(!p.description.empty());
    CHECK(!p.source.empty());
    if (p.type == ParamType::Real || p.type == ParamType::Integer) {
      CHECK(p.min <= p.default_number);
      CHECK(p.default_number <= p.max);
    }
    if (p.type == ParamType::Choice) {
      bool ok = false;
      for (auto c : p.choice_list())
        ok |= c == p.default_text;
      CHECK(ok);
    }
  }
}

TEST_CASE("nearest key suggests plausible typos only", "[params]") {
  CHECK(dictionary().nearest("muscle.alm_loss_rate_mem") == "muscle.alm_loss_rate_men");
  CHECK(dictionary().nearest("completely.unrelated_thing_here").empty());
}

TEST_CASE("docs/output_datasets.md is the output of `sarcosim outputs --markdown`", "[docs]") {
  const auto r = test::run_cli("outputs --markdown");
  REQUIRE(r.exit_code == 0);
  std::ifstream f(std::string(SARCOSIM_SOURCE_DIR) + "/docs/output_datasets.md");
  std::stringstream doc;
  doc << f.rdbuf();
  INFO("regenerate with: ./build/sarcosim outputs --markdown > docs/output_datasets.md");
  CHECK(doc.str() == r.out);
}

TEST_CASE("docs/parameters.md is the output of `sarcosim params --markdown`", "[params][docs]") {
  const auto r = test::run_cli("params --markdown");
  REQUIRE(r.exit_code == 0);
  std::ifstream f(std::string(SARCOSIM_SOURCE_DIR) + "/docs/parameters.md");
  std::stringstream doc;
  doc << f.rdbuf();
  INFO("regenerate with: ./build/sarcosim params --markdown > docs/parameters.md");
  CHECK(doc.str() == r.out);
}
