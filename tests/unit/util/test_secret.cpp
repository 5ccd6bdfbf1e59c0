#include <cfmigrate/util/secret.hpp>

#include <boost/test/unit_test.hpp>

#include <sstream>

using cfmigrate::Secret;

BOOST_AUTO_TEST_SUITE(secret)

BOOST_AUTO_TEST_CASE(streams_a_placeholder_never_the_value)
{
  Secret s("4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c");
  std::ostringstream os;
  os << s;
  BOOST_TEST(os.str() == "********");
  BOOST_TEST(os.str().find("4f1e") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(fingerprint_is_stable_short_and_not_the_value)
{
  Secret a("4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c");
  Secret b("4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c");
  Secret c("5f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c");
  BOOST_TEST(a.fingerprint() == b.fingerprint());
  BOOST_TEST(a.fingerprint() != c.fingerprint());
  BOOST_TEST(a.fingerprint().rfind("sha256:", 0) == 0);
  BOOST_TEST(a.fingerprint().size() == 7U + 16U);
  // SHA-256("abc") starts with ba7816bf8f01cfea: the fingerprint is a plain SHA-256 prefix.
  BOOST_TEST(Secret("abc").fingerprint() == "sha256:ba7816bf8f01cfea");
}

BOOST_AUTO_TEST_CASE(move_leaves_the_source_empty)
{
  Secret a("value-1234567890");
  Secret b(std::move(a));
  BOOST_TEST(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  BOOST_TEST(b.size() == 16U);
  BOOST_TEST(b == Secret("value-1234567890"));
}

BOOST_AUTO_TEST_SUITE_END()
