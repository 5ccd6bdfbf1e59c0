#include <cfmigrate/plan/plan_renderer.hpp>

#include "plan_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace cfmigrate;
using namespace cfmigrate::plan;

namespace {

const std::string k_content = "name=old\nkey=SECRETKEY\n"; // "old" at 5, the key at 13 (sample_plan's changes)

std::string render(const Plan& p, const std::map<std::string, std::string>* contents,
                   const std::map<std::string, std::vector<Mask>>* masks)
{
  std::ostringstream out;
  render_plan(out, RenderInput{&p, contents, masks, {}});
  return out.str();
}

bool has(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan_renderer)

BOOST_AUTO_TEST_CASE(tokens_diffs_manual_steps_warnings_and_reloads)
{
  const Plan p = plan_test::sample_plan();
  const std::map<std::string, std::string> contents{{"/etc/cf.ini", k_content}};
  const std::map<std::string, std::vector<Mask>> masks{{"/etc/cf.ini", {Mask{scan::Span{13, 9}, "<global_key sha256:abc>"}}}};
  const std::string text = render(p, &contents, &masks);
  BOOST_TEST(text.starts_with("Plan 2026-12-05-a1b2c3d4e5f6 for host web-01 (root /srv/root), created 2026-12-05T09:00:00Z\n"));
  BOOST_TEST(has(text, "Tokens to create: 1\n  + cfmigrate/web-01/certbot-dns-cloudflare/1a2b3c4d   [t1]\n"), text);
  BOOST_TEST(has(text, "      permissions: Zone:DNS:Edit, Zone:Zone:Read\n"), text);
  BOOST_TEST(has(text, "      zones: example.com\n"), text);
  BOOST_TEST(has(text, "      client IPs: 192.0.2.0/24\n      expires: 2027-01-01T00:00:00Z\n"), text);
  BOOST_TEST(has(text, "      created with: Global API Key sha256:abc (ops@example.com)\n"), text);
  BOOST_TEST(has(text, "Files to change: 1\n  ~ /etc/cf.ini  (certbot-dns-cloudflare, 2 change(s))\n"), text);
  BOOST_TEST(has(text, "-key=<global_key sha256:abc>\n"), text);
  BOOST_TEST(has(text, "+name=new\n+key=<new token t1, base64>\n"), text);
  BOOST_TEST(!has(text, "SECRETKEY"), text);
  BOOST_TEST(has(text, "Manual steps: 1\n  ! traefik  /etc/traefik.env:3\n      why: the key comes from CF_API_KEY\n"
                       "      - Store the token\n      - Remove the key\n      a token for it needs: Zone:DNS:Edit\n"), text);
  BOOST_TEST(has(text, "Warnings: 1\n  ? [broad_scope] no zone found\n"), text);
  BOOST_TEST(has(text, "After apply, reload or check:\n  certbot-dns-cloudflare: certbot renew --dry-run\n"), text);
  BOOST_TEST(text.ends_with("\nNothing has been changed. Apply with: cfmigrate apply PLAN-FILE\n"), text);
}

BOOST_AUTO_TEST_CASE(account_wide_tokens_and_files_without_content)
{
  Plan p = plan_test::sample_plan();
  p.tokens[0].account_wide = true;
  const std::string text = render(p, nullptr, nullptr);
  BOOST_TEST(has(text, "      zones: all zones of account Example Account\n"), text);
  BOOST_TEST(has(text, "/etc/cf.ini: no diff (content unavailable)\n"), text);
}

BOOST_AUTO_TEST_CASE(an_empty_plan_says_nothing_to_change)
{
  Plan p;
  p.plan_id = "x";
  const std::string text = render(p, nullptr, nullptr);
  BOOST_TEST(has(text, "Tokens to create: 0\n"));
  BOOST_TEST(!has(text, "Manual steps"));
  BOOST_TEST(text.ends_with("\nNothing to change.\n"), text);
}

// File names and plan fields come from users and from plan files: no raw control byte reaches
// the terminal (issue 12, finding 9).
BOOST_AUTO_TEST_CASE(control_characters_are_escaped)
{
  Plan p = plan_test::sample_plan();
  const std::string hostile = "/etc/a\x1b[2Jb\nc.ini";
  for (auto& e : p.edits) {
    e.path = hostile;
  }
  for (auto& t : p.tokens) {
    t.files = {hostile};
  }
  p.host = "web\x1b]0;owned\x07";
  const std::map<std::string, std::string> contents{{hostile, k_content}};
  const std::string text = render(p, &contents, nullptr);
  BOOST_TEST(text.find('\x1b') == std::string::npos, text);
  BOOST_TEST(text.find('\x07') == std::string::npos, text);
  BOOST_TEST(has(text, "--- /etc/a\\x1b[2Jb\\x0ac.ini\n"), text);
  BOOST_TEST(has(text, "  ~ /etc/a\\x1b[2Jb\\x0ac.ini  ("), text);
  BOOST_TEST(has(text, "for host web\\x1b]0;owned\\x07 "), text);
}

BOOST_AUTO_TEST_SUITE_END()
