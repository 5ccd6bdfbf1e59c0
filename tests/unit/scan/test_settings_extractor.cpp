#include <cfmigrate/scan/settings_extractor.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>

using namespace cfmigrate::scan;

namespace {

struct Case {
  const char* text;
  const char* name;
  const char* value;
  State state;
  char quote;
};

std::ostream& operator<<(std::ostream& os, const Case& c)
{
  return os << c.text;
}

const Case k_cases[] = {
  {"dns_cloudflare_api_key = abc123\n", "dns_cloudflare_api_key", "abc123", State::active, 0},
  {"dns_cloudflare_api_key=abc123", "dns_cloudflare_api_key", "abc123", State::active, 0},
  {"certbot_dns_cloudflare:dns_cloudflare_api_key = abc123\n", "certbot_dns_cloudflare:dns_cloudflare_api_key", "abc123", State::active, 0},
  {"export CF_Key=\"abc123\"\n", "CF_Key", "abc123", State::active, '"'},
  {"SAVED_CF_Key='abc123'\n", "SAVED_CF_Key", "abc123", State::active, '\''},
  {"  CF_API_KEY: abc123\n", "CF_API_KEY", "abc123", State::active, 0},
  {"  - CF_API_KEY=abc123\n", "CF_API_KEY", "abc123", State::active, 0},
  {"{\"api_key\":\"abc123\"}\n", "api_key", "abc123", State::active, '"'},
  {"  'cloudflare.key' => 'abc123',\n", "cloudflare.key", "abc123", State::active, '\''},
  {"$config['cf_key'] = 'abc123';\n", "cf_key", "abc123", State::active, '\''},
  {"define( 'CLOUDFLARE_API_KEY', 'abc123' );\n", "CLOUDFLARE_API_KEY", "abc123", State::active, '\''},
  {"<apikey>abc123</apikey>\n", "apikey", "abc123", State::active, 0},
  {"  -H \"X-Auth-Key: abc123\" \\\n", "X-Auth-Key", "abc123", State::active, 0},
  {"req.Header.Set(\"X-Auth-Key\", apiKey)\n", "X-Auth-Key", "apiKey", State::active, 0},
  {"api_key = \"abc123\" # inline comment\n", "api_key", "abc123", State::active, '"'},
  {"key = abc123 # inline\n", "key", "abc123", State::active, 0},
  {"# dns_cloudflare_api_key = abc123\n", "dns_cloudflare_api_key", "abc123", State::commented, 0},
  {"; api_key = abc123\r\n", "api_key", "abc123", State::commented, 0},
  {"// define('CF_KEY', 'abc123');\n", "CF_KEY", "abc123", State::commented, '\''},
  {"<!-- <apikey>abc123</apikey> -->\n", "apikey", "abc123", State::commented, 0},
  {"CF_API_KEY: ${CF_API_KEY}\n", "CF_API_KEY", "${CF_API_KEY}", State::active, 0},
  {"CF_API_KEY: ${{ secrets.CF_API_KEY }}\n", "CF_API_KEY", "${{ secrets.CF_API_KEY }}", State::active, 0},
  {"login:=abc123\n", "login", "abc123", State::active, 0},
};

const Setting* find(const std::vector<Setting>& settings, const std::string& name)
{
  for (const auto& s : settings) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

} // namespace

BOOST_AUTO_TEST_SUITE(settings_extractor)

BOOST_DATA_TEST_CASE(extracts_name_value_state_quote, boost::unit_test::data::make(k_cases), c)
{
  std::string text = c.text;
  auto settings = extract_settings(text);
  const Setting* s = find(settings, c.name);
  BOOST_TEST_REQUIRE(s != nullptr);
  BOOST_TEST(text.substr(s->value_span.offset, s->value_span.length) == c.value);
  BOOST_TEST(text.substr(s->name_span.offset, s->name_span.length) == c.name);
  BOOST_TEST((s->state == c.state));
  BOOST_TEST(s->quote == c.quote);
  BOOST_TEST(s->line == 1U);
  BOOST_TEST(s->line_span.offset == 0U);
  BOOST_TEST(s->line_span.length == text.size());
}

BOOST_AUTO_TEST_CASE(several_settings_on_one_line)
{
  std::string text = "Environment=\"CF_API_EMAIL=a@example.com\" \"CF_API_KEY=abc123\"\n"
                     "CF_Email=b@example.com CF_Key=def456 acme.sh --issue --dns dns_cf\n";
  auto settings = extract_settings(text);
  const Setting* key = find(settings, "CF_API_KEY");
  BOOST_TEST_REQUIRE(key != nullptr);
  BOOST_TEST(text.substr(key->value_span.offset, key->value_span.length) == "abc123");
  BOOST_TEST(find(settings, "CF_API_EMAIL") != nullptr);
  const Setting* acme = find(settings, "CF_Key");
  BOOST_TEST_REQUIRE(acme != nullptr);
  BOOST_TEST(acme->line == 2U);
  BOOST_TEST(text.substr(acme->value_span.offset, acme->value_span.length) == "def456");
}

BOOST_AUTO_TEST_CASE(sections_yaml_paths_and_block_comments)
{
  std::string text = "[CloudFlare]\nemail = a@example.com\ntoken = abc\n";
  auto ini = extract_settings(text);
  BOOST_TEST(find(ini, "token")->section == "CloudFlare");

  std::string yaml = "apiVersion: v1\nkind: Secret\ndata:\n  api-key: QUJD\nstringData:\n  other: x\n";
  auto y = extract_settings(yaml);
  BOOST_TEST(find(y, "api-key")->section == "data");
  BOOST_TEST(find(y, "other")->section == "stringData");

  std::string php = "<?php\n/*\n define('CF_KEY', 'abc');\n*/\ndefine('CF_EMAIL', 'a@example.com');\n";
  auto p = extract_settings(php);
  BOOST_TEST((find(p, "CF_KEY")->state == State::commented));
  BOOST_TEST((find(p, "CF_EMAIL")->state == State::active));
}

BOOST_AUTO_TEST_CASE(kubernetes_env_lists_name_the_value)
{
  std::string yaml = "env:\n  - name: CF_API_KEY\n    value: \"abc123\"\n";
  auto s = extract_settings(yaml);
  const Setting* key = find(s, "CF_API_KEY");
  BOOST_TEST_REQUIRE(key != nullptr);
  BOOST_TEST(key->line == 3U);
  BOOST_TEST(yaml.substr(key->value_span.offset, key->value_span.length) == "abc123");
}

BOOST_AUTO_TEST_CASE(a_filter_keeps_only_what_it_asks_for_and_names_still_pair)
{
  std::string yaml = "env:\n  - name: CF_API_KEY\n    value: \"abc123\"\n  - name: OTHER\n    value: x\nlevel: info\n";
  std::vector<std::string> asked;
  auto s = extract_settings(yaml, [&](std::string_view name, std::string_view value, Syntax) {
    asked.emplace_back(name);
    return value == "abc123";
  });
  // The `name:` lines are asked about and dropped; the value still takes its name.
  BOOST_TEST_REQUIRE(s.size() == 1U);
  BOOST_TEST(s[0].name == "CF_API_KEY");
  BOOST_TEST(s[0].line == 3U);
  BOOST_TEST((asked == std::vector<std::string>{"env", "name", "CF_API_KEY", "name", "OTHER", "level"}));
}

BOOST_AUTO_TEST_CASE(crlf_bom_and_comparisons)
{
  std::string text = "\xEF\xBB\xBF" "a = 1\r\nif [ \"$x\" == \"y\" ]; then\r\nb != c\r\n";
  auto s = extract_settings(text);
  BOOST_TEST_REQUIRE(find(s, "a") != nullptr);
  BOOST_TEST(find(s, "a")->line_span.length == 7U);  // "a = 1\r\n"
  BOOST_TEST(find(s, "a")->line_span.offset == 3U);
  BOOST_TEST(find(s, "b") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
