#include <cfmigrate/plan/plan_file.hpp>

#include "../../support/temp_dir.hpp"
#include "plan_fixture.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cfmigrate/util/json_writer.hpp>

#include <functional>
#include <sstream>

#include <sys/stat.h>

using namespace cfmigrate;
using namespace cfmigrate::plan;
namespace json = boost::json;

namespace {

// Everything compared through the JSON form, which names every field.
std::string canonical(const Plan& p)
{
  return json::serialize(to_json(p));
}

std::string error_of(const json::value& v)
{
  auto p = plan_from_json(v);
  BOOST_TEST_REQUIRE(!p.has_value());
  return p.error().message();
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan_file)

BOOST_AUTO_TEST_CASE(json_round_trip_keeps_every_field)
{
  const Plan original = plan_test::sample_plan();
  auto back = plan_from_json(to_json(original));
  BOOST_TEST_REQUIRE(back.has_value(), (back ? std::string() : back.error().message()));
  BOOST_TEST(canonical(*back) == canonical(original));
  BOOST_TEST(back->files[0].mtime_ns == 1733389200123456789LL);
  BOOST_TEST(back->tokens[0].expires_on.value_or("") == "2027-01-01T00:00:00Z");
  BOOST_TEST(back->edits[0].changes[1].replacement[0].token_key == "t1");
  BOOST_TEST(back->edits[0].changes[1].replacement[0].base64);
  BOOST_TEST(back->tokens[0].policies[0].permission_group_ids.size() == 2U);
}

BOOST_AUTO_TEST_CASE(file_round_trip_creates_a_private_file)
{
  test::TempDir dir;
  const std::string path = (dir.path() / "plan.json").string();
  const Plan original = plan_test::sample_plan();
  BOOST_TEST_REQUIRE(write_plan_file(original, path).has_value());
  struct stat st{};
  BOOST_TEST_REQUIRE(::stat(path.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 07777) == 0600U);
  auto back = read_plan_file(path);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(canonical(*back) == canonical(original));
}

BOOST_AUTO_TEST_CASE(wrong_format_missing_fields_and_bad_types_are_rejected)
{
  json::value good = to_json(plan_test::sample_plan());

  json::value other = good;
  other.as_object()["format"] = "cfmigrate.plan/2";
  auto unsupported = plan_from_json(other);
  BOOST_TEST_REQUIRE(!unsupported.has_value());
  BOOST_TEST(static_cast<int>(unsupported.error().code()) == static_cast<int>(ErrorCode::unsupported));

  json::value no_host = good;
  no_host.as_object().erase("host");
  BOOST_TEST(error_of(no_host).find("plan: host: missing") != std::string::npos);

  json::value bad_type = good;
  bad_type.at("tokens").as_array()[0].as_object()["account_wide"] = "no";
  BOOST_TEST(error_of(bad_type).find("plan: tokens[0].account_wide: expected true or false, got a string") != std::string::npos);

  json::value negative = good;
  negative.at("edits").as_array()[0].at("changes").as_array()[0].as_object()["offset"] = -1;
  BOOST_TEST(error_of(negative).find("edits[0].changes[0].offset: expected an integer from 0 to") != std::string::npos,
             error_of(negative));

  BOOST_TEST(!plan_from_json(json::value(json::array{})).has_value());
}

// Every malformed shape is an error value naming the field, never an exception.
BOOST_AUTO_TEST_CASE(malformed_plans_are_errors_naming_the_field)
{
  const json::value good = to_json(plan_test::sample_plan());
  const auto expect = [&](const std::function<void(json::object&)>& damage, const std::string& wanted) {
    json::value bad = good;
    damage(bad.as_object());
    const std::string message = error_of(bad);
    BOOST_TEST(message.find(wanted) != std::string::npos, message + " (wanted: " + wanted + ")");
  };
  expect([](json::object& o) { o["files"].as_array()[0].as_object()["size"] = "12"; },
         "plan: files[0].size: expected an integer from 0 to 18446744073709551615, got a string");
  expect([](json::object& o) { o["files"].as_array()[0].as_object()["size"] = -5; }, "files[0].size: expected an integer");
  expect([](json::object& o) { o["files"].as_array()[0].as_object()["mode"] = 1e30; }, "files[0].mode: expected an integer from 0 to 4294967295, got 1E30");
  expect([](json::object& o) { o["files"].as_array()[0].as_object()["uid"] = std::uint64_t{1} << 40U; }, "files[0].uid");
  expect([](json::object& o) { o["files"].as_array()[0].as_object()["path"] = nullptr; }, "files[0].path: expected a string, got null");
  expect([](json::object& o) { o["files"].as_array()[0].as_object().erase("sha256"); }, "files[0].sha256: missing");
  expect([](json::object& o) { o["files"] = json::object{}; }, "plan: files: expected an array, got an object");
  expect([](json::object& o) { o["files"].as_array()[0] = 7; }, "plan: files[0]: expected an object, got 7");
  expect([](json::object& o) { o["tokens"].as_array()[0].as_object()["zones"] = json::array{"a", 1}; }, "tokens[0].zones[1]: expected a string, got 1");
  expect([](json::object& o) { o["tokens"].as_array()[0].as_object()["policies"] = json::array{json::object{}}; },
         "tokens[0].policies[0].effect: missing");
  expect([](json::object& o) { o["tokens"].as_array()[0].as_object()["permissions"] = nullptr; }, "tokens[0].permissions: expected an array, got null");
  expect([](json::object& o) { o["edits"].as_array()[0].as_object()["changes"].as_array()[0].as_object()["replacement"] = "x"; },
         "edits[0].changes[0].replacement: expected an array, got a string");
  expect([](json::object& o) { o["manual"] = json::array{json::object{{"program", "p"}}}; }, "manual[0].line: missing");
  expect([](json::object& o) { o["reload"] = true; }, "plan: reload: expected an array, got a boolean");
  expect([](json::object& o) { o["format"] = 1; }, "plan: format: expected a string, got 1");
  expect([](json::object& o) { o["files"].as_array()[0].as_object()["path_bytes"] = "not base64!"; }, "files[0].path_bytes: expected padded base64");
  BOOST_TEST(error_of(json::value(nullptr)) == "plan: expected an object, got null");
  BOOST_TEST(error_of(json::value("plan")) == "plan: expected an object, got a string");
}

BOOST_AUTO_TEST_CASE(truncated_plan_files_are_parse_errors)
{
  test::TempDir dir;
  std::ostringstream text;
  write_json(text, to_json(plan_test::sample_plan()));
  const std::string full = text.str();
  for (std::size_t cut : {std::size_t{1}, full.size() / 3, full.size() / 2, full.size() - 3}) {
    auto read = read_plan_file(dir.write("cut.json", full.substr(0, cut)).string());
    BOOST_TEST_REQUIRE(!read.has_value());
    BOOST_TEST(static_cast<int>(read.error().code()) == static_cast<int>(ErrorCode::parse));
  }
}

// A path that is not UTF-8 is kept as a display string plus its raw bytes; the reader prefers the bytes.
BOOST_AUTO_TEST_CASE(non_utf8_paths_round_trip_through_path_bytes)
{
  Plan original = plan_test::sample_plan();
  const std::string raw = std::string("/etc/caf\xff.ini");
  original.files[0].path = raw;
  original.edits[0].path = raw;
  const json::value doc = to_json(original);
  const json::object& file = doc.at("files").as_array()[0].as_object();
  BOOST_TEST(file.at("path").as_string() == "/etc/caf\xef\xbf\xbd.ini");
  BOOST_TEST(file.at("path_bytes").as_string() == "L2V0Yy9jYWb/LmluaQ==");
  BOOST_TEST(doc.at("edits").as_array()[0].as_object().contains("path_bytes"));
  const json::value utf8 = to_json(plan_test::sample_plan());
  BOOST_TEST(!utf8.at("files").as_array()[0].as_object().contains("path_bytes"));
  auto back = plan_from_json(json::parse(json::serialize(doc)));
  BOOST_TEST_REQUIRE(back.has_value(), (back ? std::string() : back.error().message()));
  BOOST_TEST(back->files[0].path == raw);
  BOOST_TEST(back->edits[0].path == raw);
}

BOOST_AUTO_TEST_CASE(unreadable_and_non_json_files_are_errors)
{
  test::TempDir dir;
  auto missing = read_plan_file((dir.path() / "none.json").string());
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST(static_cast<int>(missing.error().code()) == static_cast<int>(ErrorCode::not_found));
  auto garbage = read_plan_file(dir.write("plan.json", "{not json").string());
  BOOST_TEST_REQUIRE(!garbage.has_value());
  BOOST_TEST(static_cast<int>(garbage.error().code()) == static_cast<int>(ErrorCode::parse));
}

BOOST_AUTO_TEST_SUITE_END()
