#include <cfmigrate/exec/journal_damage.hpp>

#include <algorithm>

namespace cfmigrate::exec {

namespace {

bool recorded(const MigrationSummary& summary, std::uint64_t backup_id)
{
  return std::any_of(summary.files.begin(), summary.files.end(), [&](const FileRecord& f) { return f.backup_id == backup_id; })
         || std::find(summary.kept_backups.begin(), summary.kept_backups.end(), backup_id) != summary.kept_backups.end();
}

// An apply interrupted between saving a backup and journalling it saves the file again when
// resumed; the journalled later backup of the same path covers the earlier one.
bool superseded(const MigrationSummary& summary, const BackupRecord& backup, const std::vector<BackupRecord>& backups)
{
  return std::any_of(backups.begin(), backups.end(), [&](const BackupRecord& later) {
    return later.id > backup.id && later.original_path == backup.original_path && recorded(summary, later.id);
  });
}

} // namespace

JournalDamage find_journal_damage(const MigrationSummary& summary, const std::string& plan_id,
                                  const std::vector<BackupRecord>& backups, const std::string& backups_dir,
                                  const std::function<bool(const BackupRecord&)>& still_original)
{
  JournalDamage damage;
  if (summary.plan_id.empty()) {
    damage.findings.push_back("the journal records no apply (it was emptied or cut short): the tokens this apply "
                              "created are unknown and were not deleted");
  } else if (summary.plan_id != plan_id) {
    damage.findings.push_back("the journal belongs to plan " + summary.plan_id + ", not " + plan_id);
  }
  for (const BackupRecord& backup : backups) {
    if (!recorded(summary, backup.id) && !superseded(summary, backup, backups) && !still_original(backup)) {
      damage.findings.push_back(backup.original_path + " was backed up (backup " + std::to_string(backup.id) + " in "
                                + backups_dir + ") but the journal does not say what was written over it: "
                                                "not restored; compare and restore it by hand");
    }
  }
  return damage;
}

} // namespace cfmigrate::exec
