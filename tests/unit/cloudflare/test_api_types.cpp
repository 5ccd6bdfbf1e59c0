#include <cfmigrate/cloudflare/api_types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

using namespace cfmigrate::cloudflare;

BOOST_AUTO_TEST_SUITE(api_types)

BOOST_AUTO_TEST_CASE(envelope_success_and_failure)
{
  auto ok = parse_envelope(R"({"success":true,"errors":[],"messages":[{"code":1000,"message":"hi"}],"result":[1],"result_info":{"page":2,"per_page":5,"count":1,"total_count":6,"total_pages":2}})");
  BOOST_REQUIRE(ok.has_value());
  BOOST_TEST(ok->success);
  BOOST_TEST(ok->result_info->page == 2);
  BOOST_TEST(*ok->result_info->total_pages == 2);
  BOOST_TEST(ok->messages.front().code == 1000);
  auto bad = parse_envelope(R"({"success":false,"errors":[{"code":7003,"message":"No route for the URI"}],"messages":[],"result":null})");
  BOOST_REQUIRE(bad.has_value());
  BOOST_TEST(!bad->success);
  BOOST_TEST(describe_api_errors(bad->errors) == "code 7003: No route for the URI");
  BOOST_TEST(!parse_envelope("<html>"));
  BOOST_TEST(!parse_envelope(R"({"result":1})"));
}

BOOST_AUTO_TEST_CASE(token_spec_json_uses_request_dot_ip_and_no_policy_ids)
{
  TokenSpec spec;
  spec.name = "n";
  Policy p;
  p.id = "server-side";
  p.permission_group_ids = {"g1"};
  p.resources["com.cloudflare.api.account.a"] = NestedResources{{"com.cloudflare.api.account.zone.*", "*"}};
  spec.policies.push_back(p);
  spec.request_ip = IpCondition{{"192.0.2.0/24"}, {}};
  spec.expires_on = "2030-01-01T00:00:00Z";
  const std::string text = boost::json::serialize(to_json(spec));
  BOOST_TEST(text == R"({"name":"n","policies":[{"effect":"allow","permission_groups":[{"id":"g1"}],"resources":{"com.cloudflare.api.account.a":{"com.cloudflare.api.account.zone.*":"*"}}}],"condition":{"request.ip":{"in":["192.0.2.0/24"]}},"expires_on":"2030-01-01T00:00:00Z"})");
  spec.request_ip = IpCondition{};
  BOOST_TEST(boost::json::serialize(to_json(spec)).find("condition") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(typed_results_report_missing_fields)
{
  auto zone = zone_from_json(boost::json::parse(R"({"name":"x"})"));
  BOOST_REQUIRE(!zone);
  BOOST_TEST(zone.error().message().find("API zone: id: missing") != std::string::npos);
  auto policy = policy_from_json(boost::json::parse(R"({"effect":"maybe","permission_groups":[],"resources":{}})"));
  BOOST_TEST(!policy);
  boost::json::value created = boost::json::parse(R"({"id":"t","name":"n","status":"active"})");
  BOOST_TEST(!created_token_from_json(created)); // no value
}

// API answers are untrusted: wrong types, nulls, huge numbers and truncated bodies are error
// values naming the field, never exceptions.
BOOST_AUTO_TEST_CASE(malformed_answers_are_errors_naming_the_field)
{
  const auto message = [](const auto& r) { return r ? std::string("(accepted)") : r.error().message(); };
  using boost::json::parse;
  BOOST_TEST(message(zone_from_json(parse(R"({"id":1,"name":"x"})"))) == "API zone: id: expected a string, got 1");
  BOOST_TEST(message(zone_from_json(parse(R"({"id":"z","name":"x","account":{"id":null}})"))) ==
             "API zone: account.id: expected a string, got null");
  BOOST_TEST(message(zone_from_json(parse("[]"))) == "API zone: expected an object, got an array");
  BOOST_TEST(message(user_from_json(parse("null"))) == "API user: expected an object, got null");
  BOOST_TEST(message(permission_group_from_json(parse(R"({"id":"g","scopes":"zone"})"))) ==
             "API permission group: scopes: expected an array, got a string");
  BOOST_TEST(message(policy_from_json(parse(R"({"effect":"allow","permission_groups":[{"id":"a"},{}],"resources":{}})"))) ==
             "API policy: permission_groups[1].id: missing");
  BOOST_TEST(message(policy_from_json(parse(R"({"effect":"allow","permission_groups":[],"resources":{"a":{"b":3}}})"))) ==
             "API policy: resources.a.b: expected a string, got 3");
  BOOST_TEST(message(policy_from_json(parse(R"({"effect":"allow","permission_groups":[],"resources":[]})"))) ==
             "API policy: resources: expected an object, got an array");
  BOOST_TEST(message(token_from_json(parse(R"({"id":"t","policies":{}})"))) == "API token: policies: expected an array, got an object");
  BOOST_TEST(message(token_from_json(parse(R"({"id":"t","condition":{"request.ip":{"in":[1]}}})"))) ==
             "API token: condition.request.ip.in[0]: expected a string, got 1");
  BOOST_TEST(message(verification_from_json(parse(R"({"id":"t"})"))) == "API token verification: status: missing");
  BOOST_TEST(message(parse_envelope(R"({"success":"yes"})")) == "API response: success: expected true or false, got a string");
  BOOST_TEST(message(parse_envelope(R"({"success":true,"result_info":{"page":1e300}})")).find("result_info.page: expected an integer") !=
             std::string::npos);
  BOOST_TEST(message(parse_envelope(R"({"success":false,"errors":[{"code":"x"}]})")) ==
             "API response: errors[0].code: expected an integer from -9223372036854775808 to 9223372036854775807, got a string");
  BOOST_TEST(!parse_envelope(R"({"success":true,"result":[1,2)"));
  BOOST_TEST(!parse_envelope("[true]"));
  boost::json::value created = parse(R"({"id":"t","value":42})");
  BOOST_TEST(message(created_token_from_json(created)) == "API created token: value: expected a non-empty string");
  // Valid answers with optional parts left out or null still read.
  auto token = token_from_json(parse(R"({"id":"t","name":null,"condition":{"request_ip":{"not_in":["10.0.0.0/8"]}}})"));
  BOOST_TEST_REQUIRE(token.has_value());
  BOOST_TEST(token->request_ip->not_in.at(0) == "10.0.0.0/8");
}

BOOST_AUTO_TEST_SUITE_END()
