#include <cfmigrate/plan/masked_diff.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::plan;

namespace {

const std::string k_key = "81a80ff28cb0ec13e62af69d7f9698d6f326b";

// [cf] / email / key: the key line becomes the token setting, the e-mail line goes.
struct Certbot {
  std::string content = "[cf]\ndns_cloudflare_email = a@example.com\ndns_cloudflare_api_key = " + k_key + "\n";
  std::size_t email_line = content.find("dns_cloudflare_email");
  std::size_t key_name = content.find("dns_cloudflare_api_key");
  std::size_t key_value = content.find(k_key);
  std::vector<Change> changes{
    Change{email_line, key_name - email_line, {}, "remove the e-mail"},
    Change{key_name, std::string("dns_cloudflare_api_key").size(), {ReplacementPart{"dns_cloudflare_api_token", {}, false}}, "rename"},
    Change{key_value, k_key.size(), {ReplacementPart{{}, "t1", false}}, "the API token"},
  };
  std::vector<Mask> masks{Mask{scan::Span{key_value, k_key.size()}, "<global_key sha256:abc>"}};
};

} // namespace

BOOST_AUTO_TEST_SUITE(masked_diff)

BOOST_AUTO_TEST_CASE(a_hunk_with_the_old_key_masked_and_the_new_token_as_a_placeholder)
{
  Certbot c;
  const std::string diff = masked_unified_diff("/etc/cf.ini", c.content, c.changes, c.masks);
  BOOST_TEST(diff == "--- /etc/cf.ini\n"
                     "+++ /etc/cf.ini (planned)\n"
                     "@@ -1,3 +1,2 @@\n"
                     " [cf]\n"
                     "-dns_cloudflare_email = a@example.com\n"
                     "-dns_cloudflare_api_key = <global_key sha256:abc>\n"
                     "+dns_cloudflare_api_token = <new token t1>\n");
  BOOST_TEST(diff.find(k_key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(unchanged_context_lines_are_masked_too)
{
  const std::string content = "old = " + k_key + "\na = 1\nb = 2\n";
  std::vector<Change> changes{Change{content.find("b = 2"), 5, {ReplacementPart{"b = 3", {}, false}}, "x"}};
  std::vector<Mask> masks{Mask{scan::Span{6, k_key.size()}, "<masked>"}};
  const std::string diff = masked_unified_diff("f", content, changes, masks);
  BOOST_TEST(diff.find(k_key) == std::string::npos);
  BOOST_TEST(diff.find(" old = <masked>\n") != std::string::npos, diff);
  BOOST_TEST(diff.find("-b = 2\n+b = 3\n") != std::string::npos, diff);
}

BOOST_AUTO_TEST_CASE(nothing_changed_is_an_empty_diff)
{
  Certbot c;
  BOOST_TEST(masked_unified_diff("/etc/cf.ini", c.content, {}, c.masks).empty());
}

BOOST_AUTO_TEST_CASE(base64_tokens_and_a_missing_final_newline_are_shown)
{
  const std::string content = "KEY=abc";
  std::vector<Change> changes{Change{4, 3, {ReplacementPart{{}, "t2", true}}, "x"}};
  const std::string diff = masked_unified_diff("env", content, changes, {});
  BOOST_TEST(diff == "--- env\n+++ env (planned)\n@@ -1,1 +1,1 @@\n"
                     "-KEY=abc\n\\ No newline at end of file\n"
                     "+KEY=<new token t2, base64>\n\\ No newline at end of file\n");
}

BOOST_AUTO_TEST_SUITE_END()
