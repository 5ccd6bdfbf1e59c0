// find_journal_damage (issue 12, finding 8): a journal that does not account for the migration's
// backups, or records no apply of this plan, is damaged; a backup taken just before a crash (its
// file still original) or covered by a journalled later backup of the same path is not.

#include <cfmigrate/exec/journal_damage.hpp>

#include <boost/test/unit_test.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace cfmigrate;
using namespace cfmigrate::exec;

namespace {

const std::string k_plan = "p-20261205-aaaa";
const std::string k_backups = "/state/migrations/p-20261205-aaaa/backups";

BackupRecord backup(std::uint64_t id, const std::string& path)
{
  BackupRecord b;
  b.id = id;
  b.original_path = "/srv/root" + path;
  b.relative_path = path.substr(1);
  b.sha256 = std::string(64, static_cast<char>('0' + id % 10));
  return b;
}

FileRecord file(const std::string& path, std::uint64_t backup_id)
{
  FileRecord f;
  f.path = path;
  f.backup_id = backup_id;
  f.state = "written";
  return f;
}

MigrationSummary applied(std::vector<FileRecord> files = {})
{
  MigrationSummary s;
  s.plan_id = k_plan;
  s.state = MigrationState::applied;
  s.files = std::move(files);
  return s;
}

// still_original() that answers from a set of backup ids and counts its calls.
struct Originals {
  std::set<std::uint64_t> ids;
  unsigned calls = 0;
  std::function<bool(const BackupRecord&)> fn()
  {
    return [this](const BackupRecord& b) {
      ++calls;
      return ids.count(b.id) != 0;
    };
  }
};

bool mentions(const JournalDamage& d, const std::string& text)
{
  for (const auto& f : d.findings) {
    if (f.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(journal_damage)

BOOST_AUTO_TEST_CASE(a_journal_accounting_for_every_backup_is_not_damaged)
{
  Originals originals;
  const std::vector<BackupRecord> backups{backup(1, "/etc/a.conf"), backup(2, "/etc/b.conf")};
  JournalDamage d = find_journal_damage(applied({file("/etc/a.conf", 1), file("/etc/b.conf", 2)}), k_plan, backups,
                                        k_backups, originals.fn());
  BOOST_TEST(!d.damaged());
  BOOST_TEST(originals.calls == 0U); // recorded backups need no look at the files
}

BOOST_AUTO_TEST_CASE(a_journal_with_no_apply_started_is_damaged)
{
  // An emptied journal (or one cut before apply_started) replays into a summary without a plan id.
  Originals originals;
  JournalDamage d = find_journal_damage(MigrationSummary{}, k_plan, {}, k_backups, originals.fn());
  BOOST_TEST(d.damaged());
  BOOST_TEST(mentions(d, "records no apply"));
}

BOOST_AUTO_TEST_CASE(a_journal_of_another_plan_is_damaged)
{
  Originals originals;
  MigrationSummary s = applied();
  s.plan_id = "p-20261205-bbbb";
  JournalDamage d = find_journal_damage(s, k_plan, {}, k_backups, originals.fn());
  BOOST_TEST(d.damaged());
  BOOST_TEST(mentions(d, "p-20261205-bbbb"));
  BOOST_TEST(mentions(d, k_plan));
}

BOOST_AUTO_TEST_CASE(an_unrecorded_backup_whose_file_is_still_original_is_not_damage)
{
  // Apply crashed between saving the backup and journalling it: nothing was written over the file.
  Originals originals{{2}};
  const std::vector<BackupRecord> backups{backup(1, "/etc/a.conf"), backup(2, "/etc/b.conf")};
  JournalDamage d = find_journal_damage(applied({file("/etc/a.conf", 1)}), k_plan, backups, k_backups, originals.fn());
  BOOST_TEST(!d.damaged());
  BOOST_TEST(originals.calls == 1U);
}

BOOST_AUTO_TEST_CASE(an_unrecorded_backup_whose_file_changed_is_damage_and_named)
{
  Originals originals;
  const std::vector<BackupRecord> backups{backup(1, "/etc/a.conf"), backup(2, "/etc/b.conf")};
  JournalDamage d = find_journal_damage(applied({file("/etc/a.conf", 1)}), k_plan, backups, k_backups, originals.fn());
  BOOST_TEST_REQUIRE(d.findings.size() == 1U);
  BOOST_TEST(mentions(d, "/srv/root/etc/b.conf"));
  BOOST_TEST(mentions(d, "backup 2"));
  BOOST_TEST(mentions(d, k_backups));
  BOOST_TEST(!mentions(d, "/etc/a.conf"));
}

BOOST_AUTO_TEST_CASE(an_emptied_journal_with_backups_lists_each_changed_file)
{
  Originals originals;
  const std::vector<BackupRecord> backups{backup(1, "/etc/a.conf"), backup(2, "/etc/b.conf")};
  JournalDamage d = find_journal_damage(MigrationSummary{}, k_plan, backups, k_backups, originals.fn());
  BOOST_TEST(d.findings.size() == 3U); // no apply, and both files
  BOOST_TEST(mentions(d, "/srv/root/etc/a.conf"));
  BOOST_TEST(mentions(d, "/srv/root/etc/b.conf"));
}

BOOST_AUTO_TEST_CASE(an_unrecorded_backup_superseded_by_a_journalled_later_backup_is_not_damage)
{
  // Apply crashed after backup 1 of a.conf; the resumed apply backed it up again (2) and journalled that.
  Originals originals;
  const std::vector<BackupRecord> backups{backup(1, "/etc/a.conf"), backup(2, "/etc/a.conf")};
  JournalDamage d = find_journal_damage(applied({file("/etc/a.conf", 2)}), k_plan, backups, k_backups, originals.fn());
  BOOST_TEST(!d.damaged());
}

BOOST_AUTO_TEST_CASE(a_later_backup_supersedes_only_when_journalled_and_of_the_same_path)
{
  Originals originals;
  // The later backup of the same path is itself unrecorded: both are damage.
  const std::vector<BackupRecord> same{backup(1, "/etc/a.conf"), backup(2, "/etc/a.conf")};
  BOOST_TEST(find_journal_damage(applied(), k_plan, same, k_backups, originals.fn()).findings.size() == 2U);
  // The journalled later backup is of another path: the earlier one is still unaccounted for.
  const std::vector<BackupRecord> other{backup(1, "/etc/a.conf"), backup(2, "/etc/b.conf")};
  JournalDamage d = find_journal_damage(applied({file("/etc/b.conf", 2)}), k_plan, other, k_backups, originals.fn());
  BOOST_TEST_REQUIRE(d.findings.size() == 1U);
  BOOST_TEST(mentions(d, "/srv/root/etc/a.conf"));
  // An earlier journalled backup does not supersede a later unrecorded one.
  JournalDamage later = find_journal_damage(applied({file("/etc/a.conf", 1)}), k_plan, same, k_backups, originals.fn());
  BOOST_TEST_REQUIRE(later.findings.size() == 1U);
  BOOST_TEST(mentions(later, "backup 2"));
}

BOOST_AUTO_TEST_CASE(a_backup_kept_by_a_forced_rollback_is_recorded)
{
  Originals originals;
  MigrationSummary s = applied({file("/etc/a.conf", 1)});
  s.kept_backups.push_back(2);
  const std::vector<BackupRecord> backups{backup(1, "/etc/a.conf"), backup(2, "/etc/a.conf")};
  BOOST_TEST(!find_journal_damage(s, k_plan, backups, k_backups, originals.fn()).damaged());
}

BOOST_AUTO_TEST_SUITE_END()
