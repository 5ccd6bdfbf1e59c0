// Issue 12, findings 5 and 9 (part): a plan edited by hand or by an attacker is refused before
// anything exists (exit 1, one-line reason, no token, no file changed, never a crash); a post-hook
// never inherits a credential variable.

#include <cfmigrate/cli/exit_codes.hpp>

#include "apply_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace cfmigrate::apply_test;
namespace test = cfmigrate::test;
using cfmigrate::cli::k_exit_error;
using cfmigrate::cli::k_exit_ok;

namespace {

// Plans the small scenario, lets `damage` edit the plan JSON, applies it and checks that nothing
// happened and the reason names `expected`.
void expect_refused(const std::function<void(json::object&)>& damage, const std::string& expected)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  json::value plan = json::parse(w.plan_text());
  damage(plan.as_object());
  std::ofstream(w.plan_path(), std::ios::trunc) << json::serialize(plan);

  // --trust-plan: past the signature check, to the validation every plan gets.
  ProcessResult r = w.apply({"--trust-plan"});
  BOOST_TEST(r.exit_code == k_exit_error, expected << ": exit " << r.exit_code << " " << safe(r.err));
  BOOST_TEST(contains(r.err, expected), safe(r.err));
  BOOST_TEST(!contains(r.err, "internal error"));
  BOOST_TEST(no_tokens(emulator), expected << ": a token was created");
  BOOST_TEST(w.original_diff() == "", expected);
  BOOST_TEST(!fs::exists(w.dir() / "escaped"), expected << ": wrote outside the root");
}

json::object& first(json::object& plan, const char* array)
{
  return plan.at(array).as_array().at(0).as_object();
}

} // namespace

BOOST_AUTO_TEST_SUITE(hostile_plans)

BOOST_AUTO_TEST_CASE(a_path_with_dot_dot_is_refused)
{
  expect_refused(
    [](json::object& p) {
      const std::string escaped = "/../escaped";
      first(p, "files")["path"] = escaped;
      first(p, "edits")["path"] = escaped;
    },
    "files[0].path");
}

BOOST_AUTO_TEST_CASE(an_edit_of_a_file_not_in_files_is_refused_not_a_crash)
{
  expect_refused([](json::object& p) { first(p, "edits")["path"] = "/etc/passwd"; }, "edits[0].path");
}

BOOST_AUTO_TEST_CASE(an_out_of_range_offset_is_refused)
{
  expect_refused(
    [](json::object& p) {
      first(first(p, "edits"), "changes")["offset"] = std::uint64_t{1} << 40;
    },
    "edits[0].changes[0]");
}

BOOST_AUTO_TEST_CASE(an_unknown_token_reference_is_refused)
{
  expect_refused(
    [](json::object& p) {
      for (auto& edit : p.at("edits").as_array()) {
        for (auto& change : edit.at("changes").as_array()) {
          for (auto& part : change.at("replacement").as_array()) {
            if (auto* key = part.as_object().if_contains("token"); key != nullptr && key->is_string() && !key->as_string().empty()) {
              *key = "t99";
            }
          }
        }
      }
    },
    "t99");
}

BOOST_AUTO_TEST_CASE(a_policy_widened_to_every_zone_is_refused)
{
  expect_refused(
    [](json::object& p) {
      json::object& policy = first(first(p, "tokens"), "policies");
      json::object& resources = policy.at("resources").as_object();
      resources.clear();
      resources["com.cloudflare.api.account.zone.*"] = "*";
    },
    "tokens[0].policies[0]");
}

BOOST_AUTO_TEST_CASE(a_post_hook_inherits_no_credential_variable)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  const fs::path dump = w.dir() / "hook-env";
  ProcessResult r = w.apply({"--post-hook", "env >> '" + dump.string() + "'"},
                            {"CF_API_KEY=0123456789abcdef0123456789abcdef01234", "MY_DNS_TOKEN=x"});
  BOOST_TEST_REQUIRE(r.exit_code == k_exit_ok, safe(r.out + r.err));
  const std::string env = test::read_file(dump);
  BOOST_TEST(contains(env, "CFMIGRATE_PROGRAM="));
  BOOST_TEST(!contains(env, "CF_API_KEY"));
  BOOST_TEST(!contains(env, "MY_DNS_TOKEN"));
}

// Issue 12 finding 5: plans are authenticated. `plan -o` signs with the state dir's key; apply
// refuses an edited plan, or one made with another state dir, unless --trust-plan.
BOOST_AUTO_TEST_CASE(an_edited_plan_is_refused_unless_trusted)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  const fs::path key = w.state() / "plan.key";
  BOOST_TEST_REQUIRE(fs::exists(key));
  BOOST_TEST(((fs::status(key).permissions() & fs::perms::mask) == (fs::perms::owner_read | fs::perms::owner_write)));
  BOOST_TEST(contains(w.plan_text(), "\"mac\": \"hmac-sha256:"), safe(w.plan_text()));

  // A change validation cannot see: a renamed token is still a valid plan.
  json::value plan = json::parse(w.plan_text());
  first(plan.as_object(), "tokens")["name"] = "cfmigrate/web-01/renamed";
  std::ofstream(w.plan_path(), std::ios::trunc) << json::serialize(plan);
  ProcessResult refused = w.apply();
  BOOST_TEST(refused.exit_code == k_exit_error, safe(refused.out + refused.err));
  BOOST_TEST(contains(refused.err, "changed since `cfmigrate plan` wrote it"), safe(refused.err));
  BOOST_TEST(contains(refused.err, "--trust-plan"), safe(refused.err));
  BOOST_TEST(no_tokens(emulator));
  BOOST_TEST(w.original_diff() == "");

  ProcessResult trusted = w.apply({"--trust-plan"});
  BOOST_TEST(trusted.exit_code == k_exit_ok, safe(trusted.out + trusted.err));
}

BOOST_AUTO_TEST_CASE(a_plan_made_with_another_state_dir_is_refused)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  w.use_foreign_state_dir(w.dir() / "other-state");
  ProcessResult refused = w.apply();
  BOOST_TEST(refused.exit_code == k_exit_error, safe(refused.out + refused.err));
  BOOST_TEST(contains(refused.err, "not made with the state directory"), safe(refused.err));
  BOOST_TEST(no_tokens(emulator));

  // The same state dir with another key (e.g. a copy from another machine): the MAC does not match.
  w.use_foreign_state_dir(w.dir() / "third-state");
  ProcessResult other_plan = w.run({"plan", "--root", w.root().string(), "--out", (w.dir() / "unused.json").string(),
                                    "--state-dir", w.state().string(), "--format", "json"});
  BOOST_TEST_REQUIRE(fs::exists(w.state() / "plan.key"), safe(other_plan.err));
  ProcessResult mismatch = w.apply();
  BOOST_TEST(mismatch.exit_code == k_exit_error, safe(mismatch.out + mismatch.err));
  BOOST_TEST(contains(mismatch.err, "or made with another state directory"), safe(mismatch.err));
  BOOST_TEST(no_tokens(emulator));
  BOOST_TEST(w.original_diff() == "");
}

BOOST_AUTO_TEST_CASE(a_plan_key_others_can_read_is_refused)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  fs::permissions(w.state() / "plan.key", fs::perms::others_read, fs::perm_options::add);
  ProcessResult refused = w.apply();
  BOOST_TEST(refused.exit_code == k_exit_error, safe(refused.out + refused.err));
  BOOST_TEST(contains(refused.err, "mode 0600"), safe(refused.err));
  ProcessResult replan = w.run_plan();
  BOOST_TEST(replan.exit_code == k_exit_error, safe(replan.out + replan.err));
  BOOST_TEST(no_tokens(emulator));
}

BOOST_AUTO_TEST_SUITE_END()
