#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/option_values.hpp>
#include <cfmigrate/cli/plan_command.hpp>
#include <cfmigrate/cli/scan_command.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>

using namespace cfmigrate::cli;

namespace {

// 2026-06-01T00:00:00Z: fixed so the expiry tests do not depend on the clock.
const std::chrono::system_clock::time_point k_now = std::chrono::system_clock::time_point(std::chrono::seconds(1780272000));

} // namespace

BOOST_AUTO_TEST_SUITE(cli_option_values)

BOOST_AUTO_TEST_CASE(whole_numbers_reject_signs_overflow_and_junk)
{
  BOOST_TEST(parse_whole_number("--threads", "8", 0, 64).value() == 8u);
  BOOST_TEST(parse_whole_number("--threads", "0", 0, 64).value() == 0u);
  BOOST_TEST(parse_whole_number("--threads", "64", 0, 64).value() == 64u);
  for (const char* bad : {"-1", "65", "100000", "", " 8", "8 ", "+8", "0x10", "8a", "99999999999999999999999"}) {
    auto r = parse_whole_number("--threads", bad, 0, 64);
    BOOST_TEST_INFO(bad);
    BOOST_TEST(!static_cast<bool>(r));
  }
  auto r = parse_whole_number("--verify-timeout", "-1", 1, 3600);
  BOOST_TEST_REQUIRE(!static_cast<bool>(r));
  BOOST_TEST(r.error().describe() == "--verify-timeout must be a whole number from 1 to 3600");
  BOOST_TEST(!static_cast<bool>(parse_whole_number("--verify-timeout", "0", 1, 3600)));
}

BOOST_AUTO_TEST_CASE(choices)
{
  BOOST_TEST(parse_choice("--format", "json", {"human", "json"}).value() == "json");
  auto r = parse_choice("--format", "xml", {"human", "json", "sarif"});
  BOOST_TEST_REQUIRE(!static_cast<bool>(r));
  BOOST_TEST(r.error().describe() == "--format must be one of human, json, sarif");
}

BOOST_AUTO_TEST_CASE(addresses_and_cidrs)
{
  for (const char* good : {"192.0.2.1", "192.0.2.0/24", "0.0.0.0/0", "2001:db8::/32", "::1", "2001:db8::1/128"}) {
    BOOST_TEST_INFO(good);
    BOOST_TEST(static_cast<bool>(check_ip_or_cidr("--allow-ip", good)));
  }
  for (const char* bad : {"", "192.0.2.0/33", "192.0.2.0/-1", "192.0.2.0/", "2001:db8::/129", "example.org", "192.0.2",
                          "192.0.2.1/24/1", "1.2.3.4 "}) {
    BOOST_TEST_INFO(bad);
    BOOST_TEST(!static_cast<bool>(check_ip_or_cidr("--allow-ip", bad)));
  }
}

BOOST_AUTO_TEST_CASE(expiry_must_be_a_valid_future_time)
{
  BOOST_TEST(parse_future_time("--expires", "2027-01-01", k_now).value() == "2027-01-01T00:00:00Z");
  BOOST_TEST(static_cast<bool>(parse_future_time("--expires", "2026-06-01T00:00:01Z", k_now)));
  BOOST_TEST(!static_cast<bool>(parse_future_time("--expires", "2026-06-01", k_now)));
  BOOST_TEST(!static_cast<bool>(parse_future_time("--expires", "2020-01-01", k_now)));
  BOOST_TEST(!static_cast<bool>(parse_future_time("--expires", "2027-13-01", k_now)));
  BOOST_TEST(!static_cast<bool>(parse_future_time("--expires", "tomorrow", k_now)));
}

BOOST_AUTO_TEST_CASE(scan_command_line)
{
  std::ostringstream out;
  std::ostringstream err;
  ScanCommandLine ok = parse_scan_command_line({"--threads", "4", "--max-file-size", "1024", "--format", "sarif", "-o", "r.sarif", "/etc"},
                                               out, err);
  BOOST_TEST(ok.exit_code == -1);
  BOOST_TEST(ok.options.scan.threads == 4u);
  BOOST_TEST(ok.options.scan.size_cap == 1024u);
  BOOST_TEST(ok.options.format == "sarif");
  BOOST_TEST(ok.options.output.value_or("") == "r.sarif");
  BOOST_TEST(ok.options.scan.paths.size() == 1u);
  BOOST_TEST(parse_scan_command_line({}, out, err).options.scan.threads == 0u);  // automatic

  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{
         {"--threads", "100000"}, {"--threads", "-1"}, {"--threads", "65"}, {"--max-file-size", "-1"},
         {"--max-file-size", "184467440737095516160"}, {"--format", "xml"}}) {
    std::ostringstream e;
    ScanCommandLine line = parse_scan_command_line(bad, out, e);
    BOOST_TEST_INFO(bad[0] + " " + bad[1]);
    BOOST_TEST(line.exit_code == k_exit_usage);
    const std::string text = e.str();
    BOOST_TEST(text.find(bad[0]) != std::string::npos);
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
  }
}

BOOST_AUTO_TEST_CASE(plan_command_line)
{
  std::ostringstream out;
  PlanCommandLine ok = parse_plan_command_line({"--allow-ip", "192.0.2.0/24", "--expires", "2027-01-01", "--group-by", "host"},
                                               out, out, k_now);
  BOOST_TEST(ok.exit_code == -1);
  BOOST_TEST(ok.options.plan.expires_on.value_or("") == "2027-01-01T00:00:00Z");
  BOOST_TEST((ok.options.plan.group_by == cfmigrate::plan::GroupBy::host));
  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{
         {"--allow-ip", "192.0.2.0/40"}, {"--expires", "2020-01-01"}, {"--expires", "soon"}, {"--format", "sarif"},
         {"--group-by", "zone"}, {"--rate-limit", "-1/300"}, {"--rate-limit", "1200/0"}}) {
    std::ostringstream e;
    PlanCommandLine line = parse_plan_command_line(bad, out, e, k_now);
    BOOST_TEST_INFO(bad[0] + " " + bad[1]);
    BOOST_TEST(line.exit_code == k_exit_usage);
    BOOST_TEST(e.str().find(bad[0]) != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
