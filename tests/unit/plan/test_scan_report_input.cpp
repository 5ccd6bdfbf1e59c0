#include <cfmigrate/plan/scan_report_input.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;

namespace {

// The error message for a report with `text`, or "(accepted)".
std::string error_for(const std::string& text)
{
  test::TempDir dir;
  auto paths = plan::paths_in_scan_report(dir.write("scan.json", text).string());
  return paths ? std::string("(accepted)") : paths.error().message();
}

} // namespace

BOOST_AUTO_TEST_SUITE(scan_report_input)

BOOST_AUTO_TEST_CASE(reads_paths_and_prefers_path_bytes)
{
  test::TempDir dir;
  // "L2V0Yy9jYWb/LmluaQ==" is "/etc/caf\xff.ini", a name that is not UTF-8.
  const auto file = dir.write("scan.json", R"({"format":"cfmigrate.scan/1","findings":[
    {"path":"/etc/a.ini"},{"path":"/etc/caf\ufffd.ini","path_bytes":"L2V0Yy9jYWb/LmluaQ=="}]})");
  auto paths = plan::paths_in_scan_report(file.string());
  BOOST_TEST_REQUIRE(paths.has_value());
  BOOST_TEST(paths->size() == 2U);
  BOOST_TEST(paths->contains("/etc/a.ini"));
  BOOST_TEST(paths->contains(std::string("/etc/caf\xff.ini")));
}

BOOST_AUTO_TEST_CASE(malformed_reports_are_errors_naming_the_field)
{
  BOOST_TEST(error_for("[]") == "scan report: expected an object, got an array");
  BOOST_TEST(error_for(R"({"findings":[]})") == "not a cfmigrate.scan/1 document");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1"})") == "scan report: findings: missing");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1","findings":{}})") == "scan report: findings: expected an array, got an object");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1","findings":[{"path":"/a"},3]})") ==
             "scan report: findings[1]: expected an object, got 3");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1","findings":[{"path":null}]})") ==
             "scan report: findings[0].path: expected a string, got null");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1","findings":[{}]})") == "scan report: findings[0].path: missing");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1","findings":[{"path":"/a","path_bytes":"%%"}]})") ==
             "scan report: findings[0].path_bytes: expected padded base64");
  BOOST_TEST(error_for(R"({"format":"cfmigrate.scan/1","findings":[{"path":"/a"})").rfind("not valid JSON", 0) == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
