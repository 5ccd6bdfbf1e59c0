#include <cfmigrate/emulator/route_pattern.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate::emulator;

BOOST_AUTO_TEST_SUITE(route_pattern)

BOOST_AUTO_TEST_CASE(split_path_decodes_segments_and_skips_repeated_slashes)
{
  const std::vector<std::string> expected{"zones", "z/1", "dns_records"};
  BOOST_TEST(split_path("//zones/z%2F1///dns_records/") == expected, boost::test_tools::per_element());
  BOOST_TEST(split_path("").empty());
}

BOOST_AUTO_TEST_CASE(id_segments_match_any_one_segment_and_are_captured)
{
  const std::vector<std::string> path{"zones", "abc", "dns_records", "r9"};
  PathParams params;
  BOOST_TEST(match_pattern("zones/{zone_id}/dns_records/{record_id}", path, PatternExtent::whole_path, params));
  BOOST_TEST(params.at("zone_id") == "abc");
  BOOST_TEST(params.at("record_id") == "r9");
}

BOOST_AUTO_TEST_CASE(literals_and_length_must_match)
{
  const std::vector<std::string> path{"zones", "abc", "dns_records"};
  PathParams params;
  BOOST_TEST(!match_pattern("zones/{zone_id}/settings", path, PatternExtent::whole_path, params));
  BOOST_TEST(!match_pattern("zones/{zone_id}", path, PatternExtent::whole_path, params));
  BOOST_TEST(params.empty()); // a failed match captures nothing
  BOOST_TEST(match_pattern("zones/{zone_id}", path, PatternExtent::path_prefix, params));
  BOOST_TEST(params.at("zone_id") == "abc");
  BOOST_TEST(!match_pattern("zones/{zone_id}/dns_records/{record_id}", path, PatternExtent::path_prefix, params));
}

BOOST_AUTO_TEST_CASE(a_literal_segment_is_not_within_an_id_scope)
{
  BOOST_TEST(pattern_within("user/tokens/{token_id}/value", "user/tokens/{token_id}"));
  BOOST_TEST(pattern_within("user/tokens/{token_id}", "user/tokens/{token_id}"));
  BOOST_TEST(pattern_within("user/tokens/verify", "user/tokens"));
  BOOST_TEST(!pattern_within("user/tokens/verify", "user/tokens/{token_id}"));
  BOOST_TEST(!pattern_within("user/tokensx", "user/tokens"));
}

BOOST_AUTO_TEST_SUITE_END()
