#include <cfmigrate/exec/backup_store.hpp>

#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/held_file.hpp>
#include <cfmigrate/util/sha256.hpp>

#include "../../support/temp_dir.hpp"
#include "../../support/file_checks.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>
#include <string>

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace utf = boost::unit_test;
using namespace cfmigrate;
using namespace cfmigrate::exec;
using cfmigrate::test::read_file;
using cfmigrate::test::TempDir;

namespace {

constexpr std::uint32_t k_other_id = 65534;

struct Fixture {
  TempDir tmp;
  std::string store_dir() const { return (tmp.path() / "state" / "backups").string(); }
};

using cfmigrate::test::entries;
using cfmigrate::test::running_as_root;
using cfmigrate::test::stat_of;

boost::test_tools::assertion_result xattrs_supported(utf::test_unit_id)
{
  TempDir probe;
  const fs::path file = probe.write("probe", "x");
  boost::test_tools::assertion_result r{::setxattr(file.c_str(), "user.cfmigrate.probe", "1", 1, 0) == 0};
  r.message() << "the temp filesystem does not support user.* extended attributes";
  return r;
}

// Bytes that look like a config holding a (made-up) Global API Key.
const std::string k_original = "\xEF\xBB\xBF" "dns_cloudflare_email = ops@example.com\r\n"
                               "dns_cloudflare_api_key = 1e5a7d8c9b0f4e3d2c1b0a9f8e7d6c5b4a392\r\n"
                               "# no newline at end";

// apply's way of saving: hold the file through the anchored walk from "/", then back it up.
Result<BackupRecord> save_path(BackupStore& store, const fs::path& path)
{
  CFM_TRY(UniqueFd root, open_root_directory("/"));
  CFM_TRY(HeldFile held, hold_file_beneath(root.get(), path.string(), static_cast<std::uint32_t>(::geteuid())));
  return store.save(held, path.string());
}

// rollback's way of restoring: through the anchored walk from "/", expecting nothing in particular.
Status restore_path(const BackupStore& store, const BackupRecord& record, const FailureInjector& injector = {})
{
  CFM_TRY(UniqueFd root, open_root_directory("/"));
  return store.restore(record, Anchor{root.get(), record.original_path, record.uid, std::nullopt, std::nullopt},
                       injector);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(backup_store, Fixture)

BOOST_AUTO_TEST_CASE(save_copies_bytes_and_records_metadata_without_content)
{
  const fs::path file = tmp.write("etc/cloudflare.ini", k_original);
  BOOST_REQUIRE(::chmod(file.c_str(), 0640) == 0);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  BOOST_TEST((stat_of(store_dir()).st_mode & 07777) == 0700U);

  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());
  BOOST_TEST(record->id == 1U);
  BOOST_TEST(record->original_path == file.string());
  BOOST_TEST(record->sha256 == sha256_hex(k_original));
  BOOST_TEST(record->size == k_original.size());
  BOOST_TEST(record->mode == 0640U);
  BOOST_TEST(record->uid == static_cast<std::uint32_t>(::geteuid()));
  BOOST_TEST(record->gid == stat_of(file).st_gid);

  const std::string bak = store->content_path(*record);
  const std::string side = store->sidecar_path(*record);
  BOOST_TEST(fs::path(bak).filename().string() == "000001-" + record->sha256 + ".bak");
  BOOST_TEST((read_file(bak) == k_original));
  BOOST_TEST((stat_of(bak).st_mode & 07777) == 0600U);
  BOOST_TEST((stat_of(side).st_mode & 07777) == 0600U);
  const std::string sidecar = read_file(side);
  BOOST_TEST(sidecar.find("1e5a7d8c9b0f") == std::string::npos);
  BOOST_TEST(sidecar.find("dns_cloudflare") == std::string::npos);
  BOOST_TEST(sidecar.find(file.string()) != std::string::npos);
  BOOST_TEST(entries(store_dir()).size() == 2U); // no temp files left

  auto loaded = store->load(1);
  BOOST_TEST_REQUIRE(loaded.has_value());
  BOOST_TEST((*loaded == *record));
}

BOOST_AUTO_TEST_CASE(ids_count_up_and_list_is_sorted)
{
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  const fs::path a = tmp.write("a.conf", "a\n");
  const fs::path b = tmp.write("b.conf", "b\n");
  BOOST_TEST_REQUIRE(save_path(*store, a).has_value());
  BOOST_TEST_REQUIRE(save_path(*store, b).has_value());
  auto again = save_path(*store, a); // same content again: a new backup
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(again->id == 3U);

  auto reopened = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(reopened.has_value());
  auto all = reopened->list();
  BOOST_TEST_REQUIRE(all.has_value());
  BOOST_TEST_REQUIRE(all->size() == 3U);
  BOOST_TEST((*all)[0].id == 1U);
  BOOST_TEST((*all)[1].original_path == b.string());
  BOOST_TEST((*all)[2].id == 3U);
  BOOST_TEST(save_path(*reopened, b)->id == 4U);
  auto missing = reopened->load(99);
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code() == ErrorCode::not_found));
}

BOOST_AUTO_TEST_CASE(restore_round_trip_bytes_and_mode)
{
  const fs::path file = tmp.write("etc/cloudflare.ini", k_original);
  BOOST_REQUIRE(::chmod(file.c_str(), 0400) == 0);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());

  // apply rewrites the file (different bytes and mode)
  fs::remove(file);
  tmp.write("etc/cloudflare.ini", "dns_cloudflare_api_token = new\n");
  BOOST_REQUIRE(::chmod(file.c_str(), 0644) == 0);

  BOOST_TEST_REQUIRE(restore_path(*store, *record).has_value());
  BOOST_TEST((read_file(file) == k_original));
  BOOST_TEST((stat_of(file).st_mode & 07777) == 0400U);
  BOOST_TEST(entries(file.parent_path()) == std::set<std::string>{"cloudflare.ini"});
}

BOOST_AUTO_TEST_CASE(restore_round_trip_owner_and_group, *utf::precondition(running_as_root))
{
  const fs::path file = tmp.write("etc/cloudflare.ini", k_original);
  BOOST_REQUIRE(::chown(file.c_str(), k_other_id, k_other_id) == 0);
  BOOST_REQUIRE(::chmod(file.c_str(), 0640) == 0);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());
  BOOST_TEST(record->uid == k_other_id);
  BOOST_TEST(record->gid == k_other_id);
  // The copy keeps the original's owner but is private.
  BOOST_TEST(stat_of(store->content_path(*record)).st_uid == k_other_id);
  BOOST_TEST((stat_of(store->content_path(*record)).st_mode & 07777) == 0600U);

  BOOST_REQUIRE(::chown(file.c_str(), 0, 0) == 0);
  BOOST_REQUIRE(::chmod(file.c_str(), 0600) == 0);
  BOOST_TEST_REQUIRE(restore_path(*store, *record).has_value());
  const struct stat st = stat_of(file);
  BOOST_TEST(st.st_uid == k_other_id);
  BOOST_TEST(st.st_gid == k_other_id);
  BOOST_TEST((st.st_mode & 07777) == 0640U);
  BOOST_TEST((read_file(file) == k_original));
}

BOOST_AUTO_TEST_CASE(restore_round_trip_xattrs, *utf::precondition(xattrs_supported))
{
  const fs::path file = tmp.write("etc/app.conf", "x = 1\n");
  const std::string value("label\0\x01", 7);
  BOOST_REQUIRE(::setxattr(file.c_str(), "user.cfmigrate.label", value.data(), value.size(), 0) == 0);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());

  fs::remove(file);
  tmp.write("etc/app.conf", "x = 2\n");
  BOOST_TEST_REQUIRE(restore_path(*store, *store->load(record->id)).has_value()); // via the sidecar
  char buf[32] = {};
  const ssize_t n = ::getxattr(file.c_str(), "user.cfmigrate.label", buf, sizeof buf);
  BOOST_TEST_REQUIRE(n == 7);
  BOOST_TEST((std::string(buf, 7) == value));
  BOOST_TEST(read_file(file) == "x = 1\n");
}

BOOST_AUTO_TEST_CASE(restore_recreates_a_deleted_file)
{
  const fs::path file = tmp.write("etc/app.conf", k_original);
  BOOST_REQUIRE(::chmod(file.c_str(), 0640) == 0);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());
  fs::remove(file);
  BOOST_TEST_REQUIRE(restore_path(*store, *record).has_value());
  BOOST_TEST((read_file(file) == k_original));
  BOOST_TEST((stat_of(file).st_mode & 07777) == 0640U);
}

BOOST_AUTO_TEST_CASE(a_link_is_never_held_its_recorded_target_is)
{
  const fs::path real = tmp.write("real/app.conf", k_original);
  const fs::path link = tmp.path() / "etc" / "app.conf";
  fs::create_directories(link.parent_path());
  fs::create_symlink(real, link);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto through_link = save_path(*store, link);
  BOOST_TEST_REQUIRE(!through_link.has_value());
  BOOST_TEST((through_link.error().code() == ErrorCode::unsupported));

  auto record = save_path(*store, real); // the executor holds the target the plan recorded
  BOOST_TEST_REQUIRE(record.has_value());
  BOOST_TEST(record->sha256 == sha256_hex(k_original));
  tmp.write("real/app.conf", "rewritten\n");
  BOOST_TEST_REQUIRE(restore_path(*store, *record).has_value());
  BOOST_TEST(fs::is_symlink(fs::symlink_status(link)));
  BOOST_TEST((read_file(real) == k_original));
}

BOOST_AUTO_TEST_CASE(damaged_backup_is_never_restored)
{
  const fs::path file = tmp.write("app.conf", k_original);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());
  tmp.write("app.conf", "migrated\n");

  const std::string bak = store->content_path(*record);
  tmp.write(fs::relative(bak, tmp.path()).string(), k_original.substr(0, 10)); // truncated copy
  auto st = restore_path(*store, *record);
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::io));
  BOOST_TEST(st.error().message().find("damaged") != std::string::npos);
  BOOST_TEST(read_file(file) == "migrated\n");

  fs::remove(bak);
  BOOST_TEST(!restore_path(*store, *record).has_value());
  BOOST_TEST(read_file(file) == "migrated\n");
}

BOOST_DATA_TEST_CASE(failed_restore_leaves_the_current_file,
                     boost::unit_test::data::make(std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}), step_index)
{
  TempDir dir;
  const fs::path file = dir.write("etc/app.conf", k_original);
  auto store = BackupStore::open((dir.path() / "backups").string());
  BOOST_TEST_REQUIRE(store.has_value());
  auto record = save_path(*store, file);
  BOOST_TEST_REQUIRE(record.has_value());
  dir.write("etc/app.conf", "migrated\n");

  const AtomicStep step = k_all_atomic_steps[step_index];
  auto st = restore_path(*store, *record, [step](AtomicStep s) -> Status {
    return s == step ? Status(make_error(ErrorCode::io, "injected")) : Status();
  });
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST(read_file(file) == "migrated\n");
  BOOST_TEST(entries(file.parent_path()) == std::set<std::string>{"app.conf"});
  BOOST_TEST(restore_path(*store, *record).has_value()); // and a retry works
  BOOST_TEST((read_file(file) == k_original));
}

BOOST_AUTO_TEST_CASE(remove_all_deletes_every_backup)
{
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  BOOST_TEST_REQUIRE(save_path(*store, tmp.write("a.conf", k_original)).has_value());
  BOOST_TEST_REQUIRE(save_path(*store, tmp.write("b.conf", "b\n")).has_value());
  tmp.write("state/backups/000003-orphan.bak", "left by a crash between .bak and .json");
  auto removed = store->remove_all();
  BOOST_TEST_REQUIRE(removed.has_value());
  BOOST_TEST(*removed == 5U);
  BOOST_TEST(entries(store_dir()).empty());
  BOOST_TEST(store->list()->empty());
  BOOST_TEST(fs::is_directory(store_dir()));
}

BOOST_AUTO_TEST_CASE(save_errors)
{
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(store.has_value());
  auto missing = save_path(*store, (tmp.path() / "missing.conf"));
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code() == ErrorCode::not_found));
  fs::create_directories(tmp.path() / "dir");
  auto directory = save_path(*store, (tmp.path() / "dir"));
  BOOST_TEST_REQUIRE(!directory.has_value());
  BOOST_TEST((directory.error().code() == ErrorCode::unsupported));
  BOOST_TEST(entries(store_dir()).empty());
}

BOOST_AUTO_TEST_CASE(unsafe_store_directory_is_refused)
{
  fs::create_directories(store_dir());
  BOOST_REQUIRE(::chmod(store_dir().c_str(), 0777) == 0);
  auto store = BackupStore::open(store_dir());
  BOOST_TEST_REQUIRE(!store.has_value());
  BOOST_TEST((store.error().code() == ErrorCode::conflict));
}

BOOST_AUTO_TEST_SUITE_END()
