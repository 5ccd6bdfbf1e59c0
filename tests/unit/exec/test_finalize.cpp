#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/exec/backup_store.hpp>
#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/held_file.hpp>
#include <cfmigrate/exec/finalize.hpp>
#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/util/file_lock.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace cfmigrate;
using namespace cfmigrate::exec;
using cfmigrate::test::TempDir;

namespace {

const std::string k_config = "dns_cloudflare_email = ops@example.com\n"
                             "dns_cloudflare_api_key = 1e5a7d8c9b0f4e3d2c1b0a9f8e7d6c5b4a392\n";

// A state dir with migration "p1": its plan (one certbot file under root/), a journal ending in
// `last_record`, and one backup.
struct Fixture {
  TempDir tmp;
  std::string state = (tmp.path() / "state").string();
  std::string root = (tmp.path() / "root").string();
  recipe::RecipeIndex index{recipe::load_recipes("").value()};

  void migration(const std::string& last_record, const std::string& config = k_config)
  {
    tmp.write("root/etc/letsencrypt/cloudflare.ini", config);
    auto paths = StateDir::open(state).value().create_migration("p1").value();
    plan::Plan plan;
    plan.plan_id = "p1";
    plan.host = "web-01";
    plan.root = root;
    plan::FileState file;
    file.path = "/etc/letsencrypt/cloudflare.ini";
    plan.files.push_back(file);
    BOOST_REQUIRE(plan::write_plan_file(plan, paths.plan).has_value());
    auto journal = Journal::open(paths.journal).value();
    BOOST_REQUIRE(journal.append(json::object{{"type", "apply_started"}, {"plan_id", "p1"}, {"host", "web-01"}}).has_value());
    BOOST_REQUIRE(journal.append(json::object{{"type", last_record}}).has_value());
    auto store = BackupStore::open(paths.backups).value();
    const std::string path = root + "/etc/letsencrypt/cloudflare.ini";
    auto slash = open_root_directory("/").value();
    auto held = hold_file_beneath(slash.get(), path, static_cast<std::uint32_t>(::geteuid())).value();
    BOOST_REQUIRE(store.save(held, path).has_value());
  }

  FinalizeOptions options(const std::string& id = "p1") const { return FinalizeOptions{state, id, ""}; }
  std::size_t backups() const { return BackupStore::open(state + "/migrations/p1/backups").value().list().value().size(); }
  MigrationState journalled_state() const
  {
    return read_summary(StateDir::at(state).migration("p1").value()).value().state;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(finalize, Fixture)

BOOST_AUTO_TEST_CASE(deletes_backups_journals_and_reports_remaining_usage)
{
  migration("completed");
  BOOST_TEST_REQUIRE(backups() == 1U);
  auto report = finalize_migration(index, options());
  BOOST_TEST_REQUIRE(report.has_value(), report.error().describe());
  BOOST_TEST(report->backups_removed > 0U);  // the files of one backup
  BOOST_TEST(backups() == 0U);
  BOOST_TEST((journalled_state() == MigrationState::finalized));
  // The key is still in the file: its usage remains, named by place and fingerprint only.
  BOOST_TEST_REQUIRE(report->remaining.size() == 1U);
  BOOST_TEST(report->remaining[0].rfind("/etc/letsencrypt/cloudflare.ini:2  ", 0) == 0U, report->remaining[0]);
  BOOST_TEST(report->remaining[0].find("1e5a7d8c9b0f4e3d2c1b0a9f8e7d6c5b4a392") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(nothing_remains_once_the_key_is_gone)
{
  migration("completed");
  tmp.write("root/etc/letsencrypt/cloudflare.ini", "dns_cloudflare_api_token = x\n");
  auto report = finalize_migration(index, options());
  BOOST_TEST_REQUIRE(report.has_value(), report.error().describe());
  BOOST_TEST(report->remaining.empty());
}

BOOST_AUTO_TEST_CASE(refuses_a_migration_that_is_not_applied)
{
  migration("failed");
  auto report = finalize_migration(index, options());
  BOOST_TEST_REQUIRE(!report.has_value());
  BOOST_TEST(report.error().message().find("is failed, not applied") != std::string::npos, report.error().message());
  BOOST_TEST(backups() == 1U);  // kept
}

BOOST_AUTO_TEST_CASE(a_held_lock_is_locked)
{
  migration("completed");
  auto lock = FileLock::acquire(StateDir::at(state).lock_path());
  BOOST_TEST_REQUIRE(lock.has_value());
  auto report = finalize_migration(index, options());
  BOOST_TEST_REQUIRE(!report.has_value());
  BOOST_TEST((report.error().code() == ErrorCode::locked));
  BOOST_TEST(backups() == 1U);
}

BOOST_AUTO_TEST_CASE(unknown_and_invalid_ids_are_refused)
{
  migration("completed");
  auto unknown = finalize_migration(index, options("p2"));
  BOOST_TEST_REQUIRE(!unknown.has_value());
  BOOST_TEST(unknown.error().message().find("no migration p2") != std::string::npos);
  auto escape = finalize_migration(index, options("../state/migrations/p1"));
  BOOST_TEST_REQUIRE(!escape.has_value());
  BOOST_TEST((escape.error().code() == ErrorCode::invalid_argument));
  BOOST_TEST(backups() == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
