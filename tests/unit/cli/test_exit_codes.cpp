#include <cfmigrate/cli/exit_codes.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <sstream>
#include <string>

using namespace cfmigrate::cli;

namespace {

const std::string k_begin = "<!-- exit-code-table: begin (generated from cli::exit_code_table(), see tests/unit/cli/test_exit_codes.cpp) -->\n";
const std::string k_end = "<!-- exit-code-table: end -->";

} // namespace

BOOST_AUTO_TEST_SUITE(exit_codes)

BOOST_AUTO_TEST_CASE(docs_table_is_the_generated_one)
{
  const std::string doc = cfmigrate::test::read_file(std::string(CFMIGRATE_SOURCE_DIR) + "/docs/exit-codes.md");
  const std::size_t begin = doc.find(k_begin);
  const std::size_t end = doc.find(k_end);
  BOOST_TEST_REQUIRE(begin != std::string::npos, "docs/exit-codes.md lacks the line " << k_begin);
  BOOST_TEST_REQUIRE(end != std::string::npos, "docs/exit-codes.md lacks the line " << k_end);
  const std::string rows = doc.substr(begin + k_begin.size(), end - begin - k_begin.size());
  const std::string expected = exit_codes_markdown();
  BOOST_TEST(rows == expected, "docs/exit-codes.md's table differs from cli::exit_code_table(); between the markers "
                               "it should read:\n" << expected);
}

BOOST_AUTO_TEST_CASE(every_command_lists_its_codes_ascending_with_usage)
{
  for (const auto& entry : exit_code_table()) {
    BOOST_TEST_CONTEXT(entry.command)
    {
      BOOST_TEST_REQUIRE(entry.codes.size() >= 3U);
      BOOST_TEST(entry.codes.front().code == k_exit_ok);
      BOOST_TEST(entry.codes.back().code == k_exit_usage);
      for (std::size_t i = 1; i < entry.codes.size(); ++i) {
        BOOST_TEST(entry.codes[i - 1].code < entry.codes[i].code);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(help_line_lists_every_code_and_wraps)
{
  const std::string help = exit_codes_help("apply");
  std::string one_line = help;
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  BOOST_TEST(one_line.rfind("Exit: 0 applied, or nothing to do, 1 failed", 0) == 0U, help);
  BOOST_TEST(one_line.find("3 stale plan: nothing changed, 4 locked, 5 plan for another host or version, 64") != std::string::npos,
             help);
  BOOST_TEST(help.substr(help.size() - std::string("64 bad command line.").size()) == "64 bad command line.");
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    BOOST_TEST(line.size() <= 88U, line);
    BOOST_TEST(line.rfind(" ", 0) != 0U, "a line starting with a blank reads as an option: " << line);
  }
  BOOST_TEST(exit_codes_help("status") == "Exit: 0 listed, 1 error, 64 bad command line.");
}

BOOST_AUTO_TEST_SUITE_END()
