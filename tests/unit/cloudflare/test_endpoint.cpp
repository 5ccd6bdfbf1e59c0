#include <cfmigrate/cloudflare/endpoint.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate::cloudflare;

BOOST_AUTO_TEST_SUITE(endpoint)

BOOST_AUTO_TEST_CASE(parses_api_bases)
{
  auto def = parse_api_base(k_default_api_base);
  BOOST_REQUIRE(def.has_value());
  BOOST_TEST(def->host == "api.cloudflare.com");
  BOOST_TEST(def->port == 443);
  BOOST_TEST(def->path_prefix == "/client/v4");
  auto prism = parse_api_base("http://127.0.0.1:4010");
  BOOST_REQUIRE(prism.has_value());
  BOOST_TEST(prism->path_prefix.empty());
  BOOST_TEST(prism->port == 4010);
  auto v6 = parse_api_base("https://[::1]:8443/client/v4/");
  BOOST_REQUIRE(v6.has_value());
  BOOST_TEST(v6->host == "::1");
  BOOST_TEST(v6->path_prefix == "/client/v4");
  BOOST_TEST(v6->host_header() == "[::1]:8443");
}

BOOST_AUTO_TEST_CASE(refuses_plain_http_off_loopback_and_user_info)
{
  BOOST_TEST(!parse_api_base("http://api.cloudflare.com/client/v4"));
  BOOST_TEST(parse_api_base("http://localhost:1/x").has_value());
  BOOST_TEST(!parse_api_base("ftp://x"));
  BOOST_TEST(!parse_api_base("https://host:99999"));
  auto with_user = parse_api_base("https://me:s3cretvalue@api.cloudflare.com");
  BOOST_REQUIRE(!with_user);
  BOOST_TEST(with_user.error().message().find("s3cretvalue") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(loopback_and_proxy_rules)
{
  BOOST_TEST(is_loopback_host("127.0.0.1"));
  BOOST_TEST(is_loopback_host("127.5.0.1"));
  BOOST_TEST(is_loopback_host("::1"));
  BOOST_TEST(is_loopback_host("LOCALHOST"));
  BOOST_TEST(!is_loopback_host("10.0.0.1"));
  BOOST_TEST(!is_loopback_host("127.0.0.1.example.com"));
  ProxySettings proxy;
  proxy.proxy = Endpoint{Scheme::http, "proxy.internal", 3128, ""};
  proxy.no_proxy = {".corp.example", "api.internal"};
  BOOST_TEST(proxy.applies_to("api.cloudflare.com"));
  BOOST_TEST(!proxy.applies_to("127.0.0.1"));
  BOOST_TEST(!proxy.applies_to("x.corp.example"));
  BOOST_TEST(!proxy.applies_to("api.internal"));
  BOOST_TEST(proxy.applies_to("notapi.internal.evil"));
  BOOST_TEST(url_encode("contains:.org a/b") == "contains%3A.org%20a%2Fb");
}

BOOST_AUTO_TEST_SUITE_END()
