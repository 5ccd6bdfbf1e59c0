#include <cfmigrate/plan/zone_scope.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::plan;

namespace {

const char* k_com_id = "023e105f4ecef8ad9ca31a8372d0c353";
const char* k_org_id = "1b5c6b1a2f3e4d5c6b7a8f9e0d1c2b3a";

std::vector<cloudflare::Zone> zones()
{
  return {cloudflare::Zone{k_com_id, "example.com", "active", "acc", "A"},
          cloudflare::Zone{"00000000000000000000000000000001", "shop.example.com", "active", "acc", "A"},
          cloudflare::Zone{k_org_id, "example.org", "active", "acc", "A"}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(zone_scope)

BOOST_AUTO_TEST_CASE(host_names_skip_email_domains_cloudflare_hosts_and_numbers)
{
  auto hosts = host_names_in("url = https://WWW.Example.COM/path\nmail = admin@example.org\n"
                             "api = https://api.cloudflare.com/client/v4 dash.cloudflare.com\n"
                             "ip = 1.2.3.4 ver = foo.bar1 deep = a.b-c.example.net\n");
  BOOST_TEST(hosts == (std::set<std::string>{"a.b-c.example.net", "www.example.com"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hex32_takes_only_runs_of_exactly_32_lower_case_hex_digits)
{
  std::string text = std::string("zone_id = ") + k_com_id + "\nlonger = 0123456789abcdef0123456789abcdef0\n"
                     + "upper = 023E105F4ECEF8AD9CA31A8372D0C353\n";
  BOOST_TEST(hex32_in(text) == (std::set<std::string>{k_com_id}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(zone_for_host_is_the_longest_suffix_on_a_label_boundary)
{
  auto all = zones();
  const cloudflare::Zone* shop = zone_for_host(all, "a.shop.example.com");
  BOOST_TEST_REQUIRE(shop != nullptr);
  BOOST_TEST(shop->name == "shop.example.com");
  const cloudflare::Zone* apex = zone_for_host(all, "example.com");
  BOOST_TEST_REQUIRE(apex != nullptr);
  BOOST_TEST(apex->name == "example.com");
  BOOST_TEST(zone_for_host(all, "notexample.com") == nullptr);
  BOOST_TEST(zone_for_host(all, "example.net") == nullptr);
}

BOOST_AUTO_TEST_CASE(zones_in_text_by_name_and_id_sorted_without_duplicates)
{
  auto all = zones();
  std::string text = std::string("domains = www.example.org, example.org\nzone = ") + k_com_id + "\nhost = cdn.example.com\n";
  auto found = zones_in(all, text);
  BOOST_TEST_REQUIRE(found.size() == 2U);
  BOOST_TEST(found[0]->name == "example.com");
  BOOST_TEST(found[1]->name == "example.org");
  BOOST_TEST(zones_in(all, "nothing here, only admin@example.com").empty());
}

BOOST_AUTO_TEST_SUITE_END()
