#include <cfmigrate/util/json_path_field.hpp>
#include <cfmigrate/util/json_read.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>

using namespace cfmigrate;
namespace json = boost::json;

namespace {

struct Point {
  std::int32_t x = 0;
  std::optional<std::string> label;
};

// A record conversion as the readers write them; read_json_as finds it by ADL in Point's namespace.
Result<Point> tag_invoke(json::try_value_to_tag<Point>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Point p;
  CFM_TRY(p.x, f.required<std::int32_t>("x"));
  CFM_TRY(p.label, f.optional<std::optional<std::string>>("label"));
  return p;
}

std::string error_of(const char* text)
{
  auto r = read_json_as<std::vector<Point>>(json::parse(text), JsonPath("doc").key("points"));
  return r ? std::string("(accepted)") : r.error().message();
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_read)

BOOST_AUTO_TEST_CASE(records_vectors_and_optionals_read)
{
  auto r = read_json_as<std::vector<Point>>(json::parse(R"([{"x":1},{"x":-2,"label":"b"},{"x":3,"label":null}])"), JsonPath("doc"));
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST(r->size() == 3U);
  BOOST_TEST((*r)[1].x == -2);
  BOOST_TEST((*r)[1].label.value_or("") == "b");
  BOOST_TEST(!(*r)[2].label.has_value());
}

BOOST_AUTO_TEST_CASE(errors_name_the_field_and_what_was_found)
{
  BOOST_TEST(error_of(R"({})") == "doc: points: expected an array, got an object");
  BOOST_TEST(error_of(R"([{"x":1},null])") == "doc: points[1]: expected an object, got null");
  BOOST_TEST(error_of(R"([{"y":1}])") == "doc: points[0].x: missing");
  BOOST_TEST(error_of(R"([{"x":3000000000}])") == "doc: points[0].x: expected an integer from -2147483648 to 2147483647, got 3000000000");
  BOOST_TEST(error_of(R"([{"x":1.5}])") == "doc: points[0].x: expected an integer from -2147483648 to 2147483647, got 1.5E0");
  BOOST_TEST(error_of(R"([{"x":true}])") == "doc: points[0].x: expected an integer from -2147483648 to 2147483647, got a boolean");
  // String values are never quoted (they may be secrets).
  BOOST_TEST(error_of(R"([{"x":1,"label":["secret"]}])") == "doc: points[0].label: expected a string, got an array");
  BOOST_TEST(error_of(R"([{"x":"secret-value"}])").find("secret-value") == std::string::npos);
  auto root = read_json_as<std::uint64_t>(json::value(-1), JsonPath());
  BOOST_TEST_REQUIRE(!root.has_value());
  BOOST_TEST(root.error().message() == "expected an integer from 0 to 18446744073709551615, got -1");
  BOOST_TEST(static_cast<int>(root.error().code()) == static_cast<int>(ErrorCode::parse));
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_path_fields)
{
  const json::value doc = json::parse(R"({"a":1,"b":2})");
  auto fields = JsonFields::of(doc, JsonPath());
  BOOST_TEST_REQUIRE(fields.has_value());
  BOOST_TEST(!fields->unknown_key({"a", "b"}).has_value());
  BOOST_TEST(fields->unknown_key({"a"}).value_or("") == "b");

  json::object o;
  put_json_path(o, "path", "/plain");
  BOOST_TEST(!o.contains("path_bytes"));
  put_json_path(o, "other", std::string("/x\xff"));
  BOOST_TEST(o.at("other_bytes").as_string() == "L3j/");
  const json::value written(o);
  auto back = JsonFields::of(written, JsonPath());
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(read_json_path(*back, "path").value() == "/plain");
  BOOST_TEST(read_json_path(*back, "other").value() == std::string("/x\xff"));
  BOOST_TEST(!read_json_path(*back, "absent").has_value());
  BOOST_TEST(read_json_path(*back, "absent", PathPresence::optional).value() == "");
}

BOOST_AUTO_TEST_SUITE_END()
