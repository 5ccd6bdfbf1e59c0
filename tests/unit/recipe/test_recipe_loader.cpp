#include <cfmigrate/recipe/recipe_loader.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::recipe;

namespace {

const char* k_valid = R"({
  "schema_version": 1,
  "id": "demo",
  "name": "Demo",
  "reference": "test",
  "detect": {"paths": ["/etc/demo/**"], "key_names": ["DEMO_KEY"], "email_names": ["DEMO_EMAIL"]},
  "migrate": {"mode": "in_place", "permissions": [{"group": "DNS Write", "scope": "zone"}],
              "token_setting": "DEMO_TOKEN", "remove": ["key", "email"]}
})";

} // namespace

BOOST_AUTO_TEST_SUITE(recipe_loader)

BOOST_AUTO_TEST_CASE(parses_a_valid_recipe)
{
  auto r = parse_recipe(k_valid, "demo/recipe.json", "demo");
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->id == "demo");
  BOOST_TEST(r->priority == 50);
  BOOST_TEST(r->detect.key_names.size() == 1U);
  BOOST_TEST(r->migrate.remove_key);
  BOOST_TEST(r->migrate.remove_email);
  BOOST_TEST(r->migrate.permissions.at(0).group == "DNS Write");
}

BOOST_AUTO_TEST_CASE(unknown_field_is_an_error_with_file_and_line)
{
  std::string text = k_valid;
  text.replace(text.find("\"name\": \"Demo\""), 14, "\"name\": \"Demo\",\n  \"colour\": \"red\"");
  auto r = parse_recipe(text, "demo/recipe.json", "demo");
  BOOST_TEST_REQUIRE(r.has_error());
  BOOST_TEST(r.error().message().find("unknown field 'colour'") != std::string::npos);
  BOOST_TEST(r.error().path() == "demo/recipe.json");
  BOOST_TEST(r.error().line().value_or(0) == 5U);
  BOOST_TEST(r.error().describe().rfind("demo/recipe.json:5:", 0) == 0);
}

BOOST_AUTO_TEST_CASE(nested_unknown_field_and_bad_enum_and_wrong_type)
{
  std::string nested = k_valid;
  nested.replace(nested.find("\"key_names\""), 11, "\"keynames\"");
  auto a = parse_recipe(nested, "x", "demo");
  BOOST_TEST_REQUIRE(a.has_error());
  BOOST_TEST(a.error().message().find("detect.keynames") != std::string::npos);

  std::string bad_enum = k_valid;
  bad_enum.replace(bad_enum.find("\"in_place\""), 10, "\"magic\"");
  BOOST_TEST(parse_recipe(bad_enum, "x", "demo").has_error());

  std::string wrong_type = k_valid;
  wrong_type.replace(wrong_type.find("\"schema_version\": 1"), 19, "\"schema_version\": \"1\"");
  BOOST_TEST(parse_recipe(wrong_type, "x", "demo").has_error());
}

BOOST_AUTO_TEST_CASE(id_must_match_directory_and_json_must_parse)
{
  BOOST_TEST(parse_recipe(k_valid, "x", "other").has_error());
  BOOST_TEST(parse_recipe("{", "x", "demo").has_error());
  BOOST_TEST(parse_recipe("[]", "x", "demo").has_error());
}

BOOST_AUTO_TEST_CASE(manual_recipes_need_steps_and_in_place_need_permissions)
{
  std::string manual = k_valid;
  manual.replace(manual.find("\"in_place\""), 10, "\"manual\"");
  BOOST_TEST(parse_recipe(manual, "x", "demo").has_error());
  std::string no_permissions = k_valid;
  no_permissions.replace(no_permissions.find("\"permissions\""), 13, "\"reload\"");
  BOOST_TEST(parse_recipe(no_permissions, "x", "demo").has_error());
}

BOOST_AUTO_TEST_CASE(override_directory_replaces_and_adds)
{
  cfmigrate::test::TempDir dir;
  dir.write("demo/recipe.json", k_valid);
  auto all = load_recipes(dir.path().string());
  BOOST_TEST_REQUIRE(all.has_value());
  bool found = false;
  for (const auto& r : *all) {
    found = found || r.id == "demo";
  }
  BOOST_TEST(found);
  dir.write("broken/recipe.json", "{\"schema_version\": 1}");
  auto broken = load_recipes(dir.path().string());
  BOOST_TEST_REQUIRE(broken.has_error());
  BOOST_TEST(broken.error().path().find("broken/recipe.json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_embedded_recipe_loads)
{
  auto all = load_recipes("");
  BOOST_TEST_REQUIRE(all.has_value(), (all ? std::string() : all.error().describe()));
}

// Wrong types, nulls, huge numbers and truncated text are errors naming the field (and its line),
// never exceptions.
BOOST_AUTO_TEST_CASE(malformed_recipes_are_errors_naming_the_field)
{
  const auto message = [](std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    auto r = parse_recipe(text, "x", "demo");
    return r ? std::string("(accepted)") : r.error().message();
  };
  const std::string valid = k_valid;
  BOOST_TEST(message(valid, R"("schema_version": 1)", R"("schema_version": 1e30)") ==
             "schema_version: expected an integer from -9223372036854775808 to 9223372036854775807, got 1E30");
  BOOST_TEST(message(valid, R"("name": "Demo")", R"("name": null)") == "name: expected a string, got null");
  BOOST_TEST(message(valid, R"("paths": ["/etc/demo/**"])", R"("paths": "/etc/demo/**")") ==
             "detect.paths: expected an array, got a string");
  BOOST_TEST(message(valid, R"(["DEMO_KEY"])", R"(["DEMO_KEY", 3])") == "detect.key_names[1]: expected a string, got 3");
  BOOST_TEST(message(valid, R"("token_setting": "DEMO_TOKEN")", R"("token_setting": {})") ==
             "migrate.token_setting: expected a string, got an object");
  auto truncated = parse_recipe(valid.substr(0, valid.size() / 2), "x", "demo");
  BOOST_TEST_REQUIRE(!truncated.has_value());
  BOOST_TEST(truncated.error().message().rfind("not valid JSON", 0) == 0U);
  for (const char* root : {"null", "7", "\"recipe\"", "[{}]"}) {
    BOOST_TEST(!parse_recipe(root, "x", "demo").has_value());
  }
  auto located = parse_recipe(valid.substr(0, valid.find("\"detect\"")) + R"("priority": "high", "detect": {}})", "x", "demo");
  BOOST_TEST_REQUIRE(!located.has_value());
  BOOST_TEST(located.error().message() == "priority: expected an integer from -9223372036854775808 to 9223372036854775807, got a string");
  BOOST_TEST(located.error().line().value_or(0) == 6U);
}

BOOST_AUTO_TEST_SUITE_END()
