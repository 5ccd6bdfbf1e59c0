// Every recipe's fixtures: scan each migrations/<id>/fixtures/<case>/root with the embedded
// recipes and require exactly the findings in expected.json (docs/recipe-format.md).

#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/scan/report_writer.hpp>
#include <cfmigrate/scan/scanner.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace cfmigrate;

namespace {

std::string key_of(const json::object& f)
{
  auto text = [&](const char* k) -> std::string {
    const json::value* v = f.if_contains(k);
    if (v == nullptr || v->is_null()) {
      return "null";
    }
    if (v->is_string()) {
      return std::string(v->as_string());
    }
    return json::serialize(*v);
  };
  return text("path") + ":" + text("line") + " program=" + text("program") + " credential=" + text("credential")
         + " state=" + text("state") + " email=" + text("email") + " encoding=" + text("encoding");
}

std::vector<fs::path> fixture_cases()
{
  std::vector<fs::path> cases;
  fs::path migrations = fs::path(CFMIGRATE_SOURCE_DIR) / "migrations";
  for (const auto& recipe_dir : fs::directory_iterator(migrations)) {
    fs::path fixtures = recipe_dir.path() / "fixtures";
    if (!fs::is_directory(fixtures)) {
      continue;
    }
    for (const auto& c : fs::directory_iterator(fixtures)) {
      if (fs::exists(c.path() / "expected.json")) {
        cases.push_back(c.path());
      }
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fixtures)

BOOST_AUTO_TEST_CASE(every_recipe_has_the_required_cases)
{
  auto recipes = recipe::load_recipes("");
  BOOST_TEST_REQUIRE(recipes.has_value());
  for (const auto& r : *recipes) {
    for (const char* c : {"positive", "dormant", "reference", "negative"}) {
      fs::path expected = fs::path(CFMIGRATE_SOURCE_DIR) / "migrations" / r.id / "fixtures" / c / "expected.json";
      BOOST_TEST(fs::exists(expected), r.id << " lacks fixture case " << c);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_case_finds_exactly_what_it_expects)
{
  auto recipes = recipe::load_recipes("");
  BOOST_TEST_REQUIRE(recipes.has_value());
  recipe::RecipeIndex index(*recipes);
  std::size_t cases = 0;
  for (const fs::path& c : fixture_cases()) {
    ++cases;
    BOOST_TEST_CONTEXT("fixture " << fs::relative(c, CFMIGRATE_SOURCE_DIR).string())
    {
      json::value expected = json::parse(test::read_file(c / "expected.json"));
      std::multiset<std::string> want;
      for (const auto& f : expected.at("findings").as_array()) {
        want.insert(key_of(f.as_object()));
      }
      scan::ScanOptions options;
      options.root = (c / "root").string();
      options.paths = {"/"};
      auto report = scan::run_scan(index, options);
      BOOST_TEST_REQUIRE(report.has_value());
      json::value got_json = scan::to_json(*report, {"test", "0"});
      std::multiset<std::string> got;
      for (const auto& f : got_json.at("findings").as_array()) {
        got.insert(key_of(f.as_object()));
      }
      for (const auto& w : want) {
        BOOST_TEST(got.count(w) >= want.count(w), "missing: " << w);
      }
      for (const auto& g : got) {
        BOOST_TEST(want.count(g) >= got.count(g), "unexpected: " << g);
      }
      // Redaction: no credential value appears in any output format.
      std::ostringstream all;
      scan::write_human(all, *report, {"test", "0"});
      write_json(all, got_json);
      write_json(all, scan::to_sarif(*report, {"test", "0"}));
      for (const auto& f : report->findings) {
        std::string_view value = f.value.expose_secret_value_for_use_in_credential_slot();
        if (!value.empty()) {
          BOOST_TEST(all.str().find(value) == std::string::npos, "a credential value was printed");
        }
      }
    }
  }
  BOOST_TEST_MESSAGE("fixture cases checked: " << cases);
}

BOOST_AUTO_TEST_SUITE_END()
