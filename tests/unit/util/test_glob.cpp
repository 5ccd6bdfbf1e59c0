#include <cfmigrate/util/glob.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

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

BOOST_AUTO_TEST_CASE(star_runs_and_double_star_edges)
{
  BOOST_TEST(glob_match("/a/***.conf", "/a/b/c/x.conf"));
  BOOST_TEST(glob_match("/a/**", "/a/"));
  BOOST_TEST(!glob_match("/a/*", "/a/b/c"));
  BOOST_TEST(glob_match("/a/**/**/c", "/a/c"));
  BOOST_TEST(glob_match("/a/**/**/c", "/a/b/d/c"));
  BOOST_TEST(!glob_match("/a/?", "/a//"));
  BOOST_TEST(glob_match("b/*.conf", "/x/b/y.conf"));
  BOOST_TEST(!glob_match("b/*.conf", "/x/ab/y.conf"));
  BOOST_TEST(!glob_match("/etc/x", "/etc/x/"));
}

// A backtracking matcher needs minutes here; the NFA needs pattern * path steps.
BOOST_AUTO_TEST_CASE(pathological_pattern_is_linear)
{
  const std::string path = "/" + std::string(4096, 'a');
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(!glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", path));
  BOOST_TEST(!glob_match("/**a**a**a**a**a**a**a**a**a**a**b", path));
  BOOST_TEST(glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*", path));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST((elapsed < std::chrono::seconds(1)));
}

BOOST_AUTO_TEST_SUITE_END()
