#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/exec/status.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <initializer_list>
#include <string>
#include <unistd.h>

namespace json = boost::json;
using namespace cfmigrate;
using namespace cfmigrate::exec;
using cfmigrate::test::TempDir;

namespace {

struct Fixture {
  TempDir tmp;
  std::string state = (tmp.path() / "state").string();

  void journal(const std::string& id, std::initializer_list<json::object> records) const
  {
    auto paths = StateDir::open(state).value().create_migration(id).value();
    auto j = Journal::open(paths.journal).value();
    for (const auto& r : records) {
      BOOST_REQUIRE(j.append(r).has_value());
    }
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(status, Fixture)

BOOST_AUTO_TEST_CASE(a_missing_state_dir_has_no_migrations_and_is_not_created)
{
  auto report = read_status(state);
  BOOST_TEST_REQUIRE(report.has_value());
  BOOST_TEST(report->migrations.empty());
  BOOST_TEST(report->state_dir == state);
  BOOST_TEST(!std::filesystem::exists(state));
}

BOOST_AUTO_TEST_CASE(summarises_every_migration_oldest_first)
{
  journal("old", {json::object{{"type", "apply_started"}, {"plan_id", "old"}, {"host", "web-01"}},
                  json::object{{"type", "completed"}}});
  ::usleep(20000);
  journal("new", {json::object{{"type", "apply_started"}, {"plan_id", "new"}, {"host", "web-01"}},
                  json::object{{"type", "failed"}, {"step", "token_create"}, {"message", "boom"}}});
  auto report = read_status(state);
  BOOST_TEST_REQUIRE(report.has_value());
  BOOST_TEST_REQUIRE(report->migrations.size() == 2U);
  BOOST_TEST(report->migrations[0].plan_id == "old");
  BOOST_TEST((report->migrations[0].state == MigrationState::applied));
  BOOST_TEST(report->migrations[1].plan_id == "new");
  BOOST_TEST((report->migrations[1].state == MigrationState::failed));
  BOOST_TEST(report->problems.empty());

  json::object doc = to_json(*report, "web-01");
  BOOST_TEST(doc.at("format").as_string() == "cfmigrate.status/1");
  BOOST_TEST(doc.at("host").as_string() == "web-01");
  BOOST_TEST(doc.at("state_dir").as_string() == state);
  BOOST_TEST(doc.at("migrations").as_array().size() == 2U);
  BOOST_TEST(doc.at("migrations").as_array()[1].at("failures").as_array()[0].at("message").as_string() == "boom");
}

BOOST_AUTO_TEST_SUITE_END()
