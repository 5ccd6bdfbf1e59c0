// The bash completion (contrib/completions/cfmigrate.bash) offers every option each command's
// --help lists, and bash accepts the file.

#include "../support/run_process.hpp"
#include "../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

using cfmigrate::test::run_process;

namespace {

const std::filesystem::path k_completion = std::filesystem::path(CFMIGRATE_SOURCE_DIR) / "contrib/completions/cfmigrate.bash";

// The long options in a command's --help text (lines of the options table start with blanks).
std::set<std::string> help_options(const std::string& command)
{
  auto r = run_process({CFMIGRATE_BINARY, command, "--help"});
  std::set<std::string> out;
  std::regex option(R"(^\s+(?:-\w \[ )?(--[a-z][a-z-]*))");
  std::istringstream lines(r.out + r.err);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, option)) {
      out.insert(m[1]);
    }
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(completion)

BOOST_AUTO_TEST_CASE(offers_every_option_of_every_command)
{
  std::string script = cfmigrate::test::read_file(k_completion);
  for (std::string command : {"scan", "plan", "apply", "rollback", "status", "finalize", "report"}) {
    std::set<std::string> options = help_options(command);
    BOOST_TEST(options.size() >= 2U, command << " --help lists options");
    std::regex line(command + R"re(\) options="([^"]*)")re");
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_search(script, m, line), command << " has a completion line");
    std::string offered = " " + m[1].str() + " ";
    for (const auto& o : options) {
      BOOST_TEST(offered.find(" " + o + " ") != std::string::npos, command << ": " << o << " is not offered");
    }
  }
  // Every command of `cfmigrate --help` is offered.
  std::smatch commands;
  BOOST_TEST_REQUIRE(std::regex_search(script, commands, std::regex(R"re(local commands="([^"]*)")re")));
  auto top = run_process({CFMIGRATE_BINARY, "--help"});
  std::istringstream lines(top.out + top.err);
  std::size_t listed = 0;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(^  ([a-z]+)\s{2,}.*)"))) {
      ++listed;
      BOOST_TEST((" " + commands[1].str() + " ").find(" " + m[1].str() + " ") != std::string::npos, m[1] << " is not offered");
    }
  }
  BOOST_TEST(listed >= 9U);
}

BOOST_AUTO_TEST_CASE(bash_parses_it)
{
  auto r = run_process({"/bin/bash", "-n", k_completion.string()});
  BOOST_TEST(r.exit_code == 0, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
