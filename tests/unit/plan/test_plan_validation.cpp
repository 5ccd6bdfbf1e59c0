#include <cfmigrate/plan/plan_validation.hpp>

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace cfmigrate;
using namespace cfmigrate::plan;

namespace {

const std::string k_sha(64, 'a');

// A small valid plan: one file, one token on one zone, one edit that puts the token in.
Plan valid_plan()
{
  Plan p;
  p.plan_id = "20261205-web1-abc123";
  p.tool_version = "0.1.0";
  p.host = "web1";
  p.root = "/";
  p.credentials.push_back(CreatorCredential{"sha256:0011223344556677", "global_key", "ops@example.com", "/etc/x.ini:2",
                                            "user1", "acct1", "Example"});
  p.files.push_back(FileState{"/etc/letsencrypt/cloudflare.ini", 100, 0, 7, 0600, 0, 0, k_sha});
  PlannedToken t;
  t.key = "t1";
  t.name = "cfmigrate/web1/certbot/abc123";
  t.program = "certbot-dns-cloudflare";
  t.credential = "sha256:0011223344556677";
  t.permissions = {PermissionRef{"dns-write-id", "DNS Write", "zone"}, PermissionRef{"zone-read-id", "Zone Read", "zone"}};
  t.zones = {"example.com"};
  t.zone_ids = {"zone1"};
  cloudflare::Policy policy;
  policy.permission_group_ids = {"dns-write-id", "zone-read-id"};
  policy.resources["com.cloudflare.api.account.zone.zone1"] = std::string("*");
  t.policies.push_back(policy);
  p.tokens.push_back(t);
  FileEdit e;
  e.path = "/etc/letsencrypt/cloudflare.ini";
  e.program = "certbot-dns-cloudflare";
  e.changes.push_back(Change{10, 20, {ReplacementPart{"dns_cloudflare_api_token = ", "", false}, ReplacementPart{"", "t1", false}}, "token"});
  e.changes.push_back(Change{40, 30, {}, "remove email"});
  p.edits.push_back(e);
  return p;
}

void expect_rejected(const std::function<void(Plan&)>& damage, const std::string& field)
{
  Plan p = valid_plan();
  damage(p);
  Status s = validate_plan(p);
  BOOST_REQUIRE_MESSAGE(!s, "accepted a plan with a damaged " + field);
  BOOST_TEST((s.error().code() == ErrorCode::parse));
  BOOST_TEST(s.error().message().find(field) != std::string::npos, s.error().message());
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan_validation)

BOOST_AUTO_TEST_CASE(a_plan_cfmigrate_would_write_is_valid)
{
  Status s = validate_plan(valid_plan());
  BOOST_TEST(static_cast<bool>(s), (s ? "" : s.error().message()));
}

BOOST_AUTO_TEST_CASE(paths_that_leave_the_root_or_are_not_normal_are_refused)
{
  expect_rejected([](Plan& p) { p.files[0].path = p.edits[0].path = "/etc/../../etc/passwd"; }, "files[0].path");
  expect_rejected([](Plan& p) { p.files[0].path = p.edits[0].path = "etc/x.ini"; }, "files[0].path");
  expect_rejected([](Plan& p) { p.files[0].path = p.edits[0].path = "/etc//x.ini"; }, "files[0].path");
  expect_rejected([](Plan& p) { p.files[0].path = p.edits[0].path = "/etc/./x.ini"; }, "files[0].path");
  expect_rejected([](Plan& p) { p.files.push_back(p.files[0]); }, "files[1].path");
}

BOOST_AUTO_TEST_CASE(an_edit_of_a_file_not_in_files_is_refused)
{
  expect_rejected([](Plan& p) { p.edits[0].path = "/etc/shadow"; }, "edits[0].path");
  expect_rejected([](Plan& p) { p.edits.push_back(p.edits[0]); }, "edits[1].path");
}

BOOST_AUTO_TEST_CASE(changes_outside_the_file_or_overlapping_are_refused)
{
  expect_rejected([](Plan& p) { p.edits[0].changes[1].offset = 90; }, "edits[0].changes[1]");
  expect_rejected([](Plan& p) { p.edits[0].changes[1].offset = 25; }, "edits[0].changes[1]");
  expect_rejected([](Plan& p) { p.edits[0].changes[0].offset = static_cast<std::size_t>(-1); }, "edits[0].changes[0]");
  expect_rejected([](Plan& p) { std::swap(p.edits[0].changes[0], p.edits[0].changes[1]); }, "edits[0].changes[1]");
}

BOOST_AUTO_TEST_CASE(undefined_token_references_are_refused)
{
  expect_rejected([](Plan& p) { p.edits[0].changes[0].replacement[1].token_key = "t9"; }, "refers to token 't9'");
  expect_rejected([](Plan& p) { p.tokens.push_back(p.tokens[0]); }, "tokens[1].key");
  expect_rejected([](Plan& p) { p.tokens[0].credential = "sha256:ffff"; }, "tokens[0].credential");
}

BOOST_AUTO_TEST_CASE(a_policy_wider_than_the_shown_scope_is_refused)
{
  expect_rejected(
    [](Plan& p) {
      p.tokens[0].policies[0].resources.clear();
      p.tokens[0].policies[0].resources["com.cloudflare.api.account.acct1"] =
        cloudflare::NestedResources{{"com.cloudflare.api.account.zone.*", "*"}};
    },
    "tokens[0].policies[0]");
  expect_rejected([](Plan& p) { p.tokens[0].policies[0].resources["com.cloudflare.api.account.zone.zone2"] = std::string("*"); },
                  "tokens[0].policies[0]");
  expect_rejected([](Plan& p) { p.tokens[0].policies[0].permission_group_ids.push_back("admin-id"); },
                  "tokens[0].policies[0]");
  expect_rejected([](Plan& p) { p.tokens[0].policies.clear(); }, "tokens[0].policies");
  // The same account-wide grant is fine when the plan says (and shows) the token is account-wide.
  Plan p = valid_plan();
  p.tokens[0].account_wide = true;
  p.tokens[0].policies[0].resources.clear();
  p.tokens[0].policies[0].resources["com.cloudflare.api.account.acct1"] =
    cloudflare::NestedResources{{"com.cloudflare.api.account.zone.*", "*"}};
  BOOST_TEST(static_cast<bool>(validate_plan(p)));
}

BOOST_AUTO_TEST_CASE(plan_ids_name_one_directory)
{
  BOOST_TEST(is_valid_plan_id("20261205-web1-abc123"));
  BOOST_TEST(!is_valid_plan_id("../../etc"));
  BOOST_TEST(!is_valid_plan_id(".hidden"));
  BOOST_TEST(!is_valid_plan_id(""));
  BOOST_TEST(!is_valid_plan_id("a/b"));
  expect_rejected([](Plan& p) { p.plan_id = "../x"; }, "plan_id");
}

BOOST_AUTO_TEST_SUITE_END()
