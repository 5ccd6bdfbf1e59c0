#include <cfmigrate/util/hmac.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;

BOOST_AUTO_TEST_SUITE(hmac)

BOOST_AUTO_TEST_CASE(rfc4231_test_case_2)
{
  BOOST_TEST(hmac_sha256_hex("Jefe", "what do ya want for nothing?")
             == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

BOOST_AUTO_TEST_CASE(macs_compare_whole)
{
  BOOST_TEST(macs_equal("abc", "abc"));
  BOOST_TEST(!macs_equal("abc", "abd"));
  BOOST_TEST(!macs_equal("abc", "ab"));
}

BOOST_AUTO_TEST_SUITE_END()
