#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/plan/edit_builder.hpp>

#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/scan/settings_extractor.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::plan;

namespace {

const std::string k_key = "81a80ff28cb0ec13e62af69d7f9698d6f326b";

ReplacementPart text(std::string t)
{
  return ReplacementPart{std::move(t), {}, false};
}

std::string render(const std::string& key, bool base64)
{
  return "<" + key + (base64 ? ":b64" : "") + ">";
}

// The embedded recipes' edit of `content` at `path`, applied with render() for the token.
std::string migrate(const std::string& path, const std::string& content)
{
  static const std::vector<recipe::Recipe> recipes = *recipe::load_recipes("");
  static const recipe::RecipeIndex index(recipes);
  scan::DetectStats stats;
  std::vector<scan::Finding> findings = scan::detect(index, path, content, stats);
  BOOST_TEST_REQUIRE(findings.size() == 1U);
  const int r = index.find(findings[0].program);
  BOOST_TEST_REQUIRE(r >= 0);
  EditRequest request{&findings[0], &recipes[static_cast<std::size_t>(r)], "t1", "acc", {"zone1"}};
  EditOutcome outcome = build_edits(content, scan::extract_settings(content), request);
  BOOST_TEST(outcome.problems.empty());
  auto merged = merge_changes(outcome.changes);
  BOOST_TEST_REQUIRE(merged.has_value());
  return apply_changes(content, *merged, render);
}

} // namespace

BOOST_AUTO_TEST_SUITE(edit_builder)

BOOST_AUTO_TEST_CASE(certbot_key_becomes_the_token_setting_and_the_email_goes)
{
  const std::string before = "# Cloudflare API credentials used by Certbot\r\n"
                             "dns_cloudflare_email = webmaster@example.com\r\n"
                             "dns_cloudflare_api_key = " + k_key + "\r\n";
  BOOST_TEST(migrate("/etc/letsencrypt/cloudflare.ini", before)
             == "# Cloudflare API credentials used by Certbot\r\ndns_cloudflare_api_token = <t1>\r\n");
}

BOOST_AUTO_TEST_CASE(a_commented_out_key_line_is_deleted)
{
  const std::string before = "dns_cloudflare_api_token = existing\n# dns_cloudflare_api_key = " + k_key + "\nend = 1\n";
  BOOST_TEST(migrate("/etc/letsencrypt/cloudflare.ini", before) == "dns_cloudflare_api_token = existing\nend = 1\n");
}

BOOST_AUTO_TEST_CASE(merge_sorts_drops_duplicates_and_lets_a_line_deletion_cover_inner_changes)
{
  std::vector<Change> changes{Change{20, 3, {text("x")}, "b"}, Change{0, 10, {}, "delete line"},
                              Change{2, 3, {text("inner")}, "inside the deleted line"}, Change{20, 3, {text("x")}, "b again"}};
  auto merged = merge_changes(changes);
  BOOST_TEST_REQUIRE(merged.has_value());
  BOOST_TEST_REQUIRE(merged->size() == 2U);
  BOOST_TEST((*merged)[0].offset == 0U);
  BOOST_TEST((*merged)[0].length == 10U);
  BOOST_TEST((*merged)[1].offset == 20U);
}

BOOST_AUTO_TEST_CASE(overlapping_changes_conflict)
{
  auto merged = merge_changes({Change{0, 5, {text("a")}, "a"}, Change{3, 4, {text("b")}, "b"}});
  BOOST_TEST_REQUIRE(!merged.has_value());
  BOOST_TEST(static_cast<int>(merged.error().code()) == static_cast<int>(ErrorCode::conflict));
}

BOOST_AUTO_TEST_CASE(apply_keeps_every_other_byte_and_renders_tokens)
{
  const std::string content = "A=1\nKEY=old\nB=2";
  std::vector<Change> changes{Change{0, 4, {}, "drop A"}, Change{8, 3, {text("'"), ReplacementPart{{}, "t9", true}, text("'")}, "t"}};
  BOOST_TEST(apply_changes(content, changes, render) == "KEY='<t9:b64>'\nB=2");
}

BOOST_AUTO_TEST_SUITE_END()
