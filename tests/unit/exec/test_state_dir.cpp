#include <cfmigrate/exec/state_dir.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace utf = boost::unit_test;
using namespace cfmigrate;
using namespace cfmigrate::exec;
using cfmigrate::test::TempDir;

namespace {

struct Fixture {
  TempDir tmp;
  std::string path(const std::string& rel) const { return (tmp.path() / rel).string(); }
};

unsigned mode_of(const std::string& p)
{
  struct stat st {};
  BOOST_REQUIRE(::lstat(p.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode & 07777);
}

boost::test_tools::assertion_result running_as_root(utf::test_unit_id)
{
  boost::test_tools::assertion_result r{::geteuid() == 0};
  r.message() << "needs root to create a directory owned by someone else";
  return r;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(state_dir, Fixture)

BOOST_AUTO_TEST_CASE(creates_a_0700_directory_with_missing_parents)
{
  const std::string dir = path("var/lib/cfmigrate");
  auto state = StateDir::open(dir + "/");
  BOOST_TEST_REQUIRE(state.has_value());
  BOOST_TEST(state->path() == dir);
  BOOST_TEST(mode_of(dir) == 0700U);
  BOOST_TEST(mode_of(dir + "/migrations") == 0700U);
  BOOST_TEST(state->lock_path() == dir + "/lock");
  struct stat st {};
  BOOST_REQUIRE(::stat(dir.c_str(), &st) == 0);
  BOOST_TEST(st.st_uid == ::geteuid());
}

BOOST_AUTO_TEST_CASE(reopening_is_fine)
{
  BOOST_TEST_REQUIRE(StateDir::open(path("state")).has_value());
  BOOST_TEST(StateDir::open(path("state")).has_value());
}

BOOST_AUTO_TEST_CASE(readable_directory_we_own_is_tightened)
{
  fs::create_directory(path("state"));
  BOOST_REQUIRE(::chmod(path("state").c_str(), 0755) == 0);
  BOOST_TEST_REQUIRE(ensure_private_directory(path("state")).has_value());
  BOOST_TEST(mode_of(path("state")) == 0700U);
}

BOOST_AUTO_TEST_CASE(group_or_world_writable_directory_is_refused)
{
  for (const unsigned mode : {0770U, 0707U, 0777U, 01777U}) {
    fs::create_directory(path("state"));
    BOOST_REQUIRE(::chmod(path("state").c_str(), mode) == 0);
    auto st = ensure_private_directory(path("state"));
    BOOST_TEST_REQUIRE(!st.has_value());
    BOOST_TEST((st.error().code() == ErrorCode::conflict));
    BOOST_TEST(st.error().message().find("writable by group or others") != std::string::npos);
    BOOST_TEST(mode_of(path("state")) == mode); // left as found
    fs::remove(path("state"));
  }
}

BOOST_AUTO_TEST_CASE(foreign_owned_directory_is_refused, *utf::precondition(running_as_root))
{
  fs::create_directory(path("state"));
  BOOST_REQUIRE(::chmod(path("state").c_str(), 0700) == 0);
  BOOST_REQUIRE(::chown(path("state").c_str(), 65534, 65534) == 0);
  auto st = StateDir::open(path("state"));
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::conflict));
  BOOST_TEST(st.error().message().find("owned by uid 65534") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(symlink_and_file_are_refused)
{
  fs::create_directory(path("real"));
  BOOST_REQUIRE(::chmod(path("real").c_str(), 0700) == 0);
  fs::create_directory_symlink(path("real"), path("link"));
  auto link = ensure_private_directory(path("link"));
  BOOST_TEST_REQUIRE(!link.has_value());
  BOOST_TEST((link.error().code() == ErrorCode::conflict));
  BOOST_TEST(link.error().message().find("symlink") != std::string::npos);

  tmp.write("file", "x");
  auto file = ensure_private_directory(path("file"));
  BOOST_TEST_REQUIRE(!file.has_value());
  BOOST_TEST((file.error().code() == ErrorCode::conflict));
}

BOOST_AUTO_TEST_CASE(migration_directories)
{
  auto state = StateDir::open(path("state"));
  BOOST_TEST_REQUIRE(state.has_value());
  auto b = state->create_migration("plan-2024-01-02.b");
  BOOST_TEST_REQUIRE(b.has_value());
  const std::string dir = path("state") + "/migrations/plan-2024-01-02.b";
  BOOST_TEST(b->dir == dir);
  BOOST_TEST(b->plan == dir + "/plan.json");
  BOOST_TEST(b->journal == dir + "/journal.jsonl");
  BOOST_TEST(b->backups == dir + "/backups");
  BOOST_TEST(mode_of(b->dir) == 0700U);
  BOOST_TEST_REQUIRE(state->create_migration("a_1").has_value());
  BOOST_TEST(state->create_migration("a_1").has_value()); // idempotent
  BOOST_TEST(StateDir::at(path("state") + "/").migration("a_1")->dir == path("state") + "/migrations/a_1");
}

BOOST_AUTO_TEST_CASE(lists_migrations_with_a_journal_oldest_first)
{
  BOOST_TEST(StateDir::at(path("absent")).list_migrations()->empty());
  auto state = StateDir::open(path("state"));
  BOOST_TEST_REQUIRE(state.has_value());
  BOOST_TEST_REQUIRE(state->create_migration("no-journal").has_value());
  tmp.write("state/migrations/z-old/journal.jsonl", "{}\n");
  ::usleep(20000);  // distinct ctimes
  tmp.write("state/migrations/a-new/journal.jsonl", "{}\n");
  tmp.write("state/migrations/not-a-dir", "x");
  tmp.write("state/migrations/bad id/journal.jsonl", "{}\n");

  auto ids = state->list_migrations();
  BOOST_TEST_REQUIRE(ids.has_value());
  BOOST_TEST(*ids == (std::vector<std::string>{"z-old", "a-new"}));
}

BOOST_AUTO_TEST_CASE(invalid_migration_ids_are_refused)
{
  auto state = StateDir::open(path("state"));
  BOOST_TEST_REQUIRE(state.has_value());
  for (const char* id : {"", ".", "..", "../escape", "a/b", "sp ace", "nul\n"}) {
    BOOST_TEST(!is_valid_migration_id(id));
    auto dir = state->create_migration(id);
    BOOST_TEST_REQUIRE(!dir.has_value());
    BOOST_TEST((dir.error().code() == ErrorCode::invalid_argument));
    BOOST_TEST(!state->migration(id).has_value());
  }
  BOOST_TEST(!is_valid_migration_id(std::string(129, 'a')));
  BOOST_TEST(is_valid_migration_id(std::string(128, 'a')));
  BOOST_TEST(!fs::exists(path("escape")));
}

BOOST_AUTO_TEST_SUITE_END()
