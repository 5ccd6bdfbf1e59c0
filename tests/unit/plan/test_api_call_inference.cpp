#include <cfmigrate/plan/api_call_inference.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::plan;

namespace {

std::vector<std::string> describe(const std::vector<ApiCall>& calls)
{
  std::vector<std::string> out;
  for (const auto& c : calls) {
    out.push_back(c.method + " " + c.path + " @" + std::to_string(c.line));
  }
  return out;
}

std::vector<std::string> groups(const Inference& inference)
{
  std::vector<std::string> out;
  for (const auto& p : inference.permissions) {
    out.push_back(p.group + "/" + recipe::to_string(p.scope));
  }
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_call_inference)

BOOST_AUTO_TEST_CASE(curl_calls_with_methods_ids_and_continuation_lines)
{
  const std::string script = "#!/bin/sh\n"
                             "curl -s -X POST \"https://api.cloudflare.com/client/v4/zones/$ZONE_ID/purge_cache\" \\\n"
                             "  -H \"X-Auth-Key: $KEY\" --data '{\"purge_everything\":true}'\n"
                             "curl -s https://api.cloudflare.com/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records?type=A\n"
                             "curl -s https://api.cloudflare.com/client/v4/zones/${ZONE}/dns_records/${ID} \\\n"
                             "  --data '{\"content\":\"1.2.3.4\"}'\n";
  std::vector<std::string> expected{"POST /zones/:id/purge_cache @2", "GET /zones/:id/dns_records @4",
                                    "POST /zones/:id/dns_records/:id @5"};
  BOOST_TEST(describe(find_api_calls(script)) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(python_library_calls)
{
  const std::string code = "import requests\n"
                           "r = requests.put(f\"{BASE}/client/v4/zones/{zone}/dns_records/{rid}\", json=record)\n"
                           "z = requests.get(\"https://api.cloudflare.com/client/v4/zones\", headers=h)\n";
  std::vector<std::string> expected{"PUT /zones/:id/dns_records/:id @2", "GET /zones @3"};
  BOOST_TEST(describe(find_api_calls(code)) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(read_for_get_write_otherwise_sorted_without_duplicates)
{
  std::vector<ApiCall> calls{{"GET", "/zones/:id/dns_records", 1},   {"PUT", "/zones/:id/dns_records/:id", 2},
                             {"POST", "/zones/:id/purge_cache", 3},  {"GET", "/zones", 4},
                             {"GET", "/zones/:id/dns_records", 5},   {"GET", "/user/tokens/verify", 6},
                             {"GET", "/accounts/:id/workers/scripts", 7}};
  Inference inference = infer_permissions(calls);
  std::vector<std::string> expected{"Cache Purge/zone", "DNS Read/zone", "DNS Write/zone", "Workers Scripts Read/account",
                                    "Zone Read/zone"};
  BOOST_TEST(groups(inference) == expected, boost::test_tools::per_element());
  BOOST_TEST(inference.unsupported.empty());
  BOOST_TEST(inference.unknown.empty());
}

BOOST_AUTO_TEST_CASE(global_key_only_and_unknown_endpoints_are_reported)
{
  std::vector<ApiCall> calls{{"POST", "/user/firewall/access_rules/rules", 1}, {"GET", "/zones/:id/no_such_thing", 2}};
  Inference inference = infer_permissions(calls);
  BOOST_TEST(inference.permissions.empty());
  BOOST_TEST_REQUIRE(inference.unsupported.size() == 1U);
  BOOST_TEST(inference.unsupported[0].path == "/user/firewall/access_rules/rules");
  BOOST_TEST_REQUIRE(inference.unknown.size() == 1U);
  BOOST_TEST(inference.unknown[0].line == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
