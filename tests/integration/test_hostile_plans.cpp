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

  ProcessResult r = w.apply();
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

BOOST_AUTO_TEST_SUITE_END()
