#include <cfmigrate/plan/plan_file.hpp>

#include "../../support/temp_dir.hpp"
#include "plan_fixture.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

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
  BOOST_TEST(error_of(no_host).find("'host'") != std::string::npos);

  json::value bad_type = good;
  bad_type.at("tokens").as_array()[0].as_object()["account_wide"] = "no";
  BOOST_TEST(error_of(bad_type).find("'tokens[].account_wide'") != std::string::npos);

  json::value negative = good;
  negative.at("edits").as_array()[0].at("changes").as_array()[0].as_object()["offset"] = -1;
  BOOST_TEST(error_of(negative).find("negative") != std::string::npos);

  BOOST_TEST(!plan_from_json(json::value(json::array{})).has_value());
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
