#include <cfmigrate/util/glob.hpp>

#include <boost/test/unit_test.hpp>

using cfmigrate::glob_match;

BOOST_AUTO_TEST_SUITE(glob)

BOOST_AUTO_TEST_CASE(absolute_patterns)
{
  BOOST_TEST(glob_match("/etc/letsencrypt/**", "/etc/letsencrypt/cloudflare.ini"));
  BOOST_TEST(glob_match("/etc/letsencrypt/**", "/etc/letsencrypt/renewal/a.conf"));
  BOOST_TEST(!glob_match("/etc/letsencrypt/**", "/etc/other/cloudflare.ini"));
  BOOST_TEST(glob_match("/etc/ddclient*.conf", "/etc/ddclient.conf"));
  BOOST_TEST(!glob_match("/etc/*.conf", "/etc/sub/x.conf"));
  BOOST_TEST(glob_match("/etc/**/x*.conf", "/etc/a/b/xy.conf"));
  BOOST_TEST(glob_match("/etc/**/x.conf", "/etc/x.conf"));
  BOOST_TEST(glob_match("/root/.acme.sh/*/*.conf", "/root/.acme.sh/example.org/example.org.conf"));
  BOOST_TEST(glob_match("/etc/?d.conf", "/etc/ab.conf") == false);
  BOOST_TEST(glob_match("/etc/?b.conf", "/etc/ab.conf"));
}

BOOST_AUTO_TEST_CASE(relative_patterns_match_any_suffix_of_segments)
{
  BOOST_TEST(glob_match("**/.env", "/srv/app/.env"));
  BOOST_TEST(glob_match(".env", "/srv/app/.env"));
  BOOST_TEST(!glob_match(".env", "/srv/app/x.env"));
  BOOST_TEST(glob_match("*.env", "/srv/app/x.env"));
  BOOST_TEST(glob_match("**/docker-compose*.yml", "/srv/traefik/docker-compose.prod.yml"));
  BOOST_TEST(!glob_match("", "/x"));
}

BOOST_AUTO_TEST_SUITE_END()
