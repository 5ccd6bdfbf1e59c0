#include <cfmigrate/cloudflare/rate_limit_header.hpp>

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(rate_limit_header)

BOOST_AUTO_TEST_CASE(an_exhausted_policy_says_how_long_to_wait)
{
  using cfmigrate::cloudflare::exhausted_for;
  using std::chrono::seconds;
  BOOST_TEST(!exhausted_for(R"("default";r=50;t=30)").has_value());
  BOOST_TEST(exhausted_for(R"("default";r=0;t=30)").value_or(seconds(-1)).count() == 30);
  BOOST_TEST(exhausted_for(R"("default";r=0;t=0)").value_or(seconds(-1)).count() == 1);
  BOOST_TEST(exhausted_for(R"("burst";r=3;t=5, "default"; r=0; t=12)").value_or(seconds(-1)).count() == 12);
  BOOST_TEST(exhausted_for(R"("a";r=0;t=4,"b";r=0;t=9)").value_or(seconds(-1)).count() == 9);
  BOOST_TEST(!exhausted_for("").has_value());
  BOOST_TEST(!exhausted_for(R"("default";r=zero;t=30)").has_value());
  BOOST_TEST(!exhausted_for(R"("default";r=0)").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
