#pragma once
// Whether a migration's journal accounts for everything its directory holds. A journal emptied,
// cut at a line boundary or swapped for another migration's reads as valid records; what gives it
// away is a backup no record mentions whose file no longer holds the backed-up bytes, or a
// journal with no apply at all. Rollback then undoes only what the journal attributes, deletes no
// token and reports these findings (issue 12, finding 8).

#include <cfmigrate/exec/backup_store.hpp>
#include <cfmigrate/exec/migration.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cfmigrate::exec {

struct JournalDamage {
  std::vector<std::string> findings; // one line each, naming what could not be undone
  bool damaged() const { return !findings.empty(); }
};

// `still_original(backup)`: the backup's file holds exactly the backed-up bytes (a backup taken
// just before a crash, before its journal record, leaves nothing to undo).
JournalDamage find_journal_damage(const MigrationSummary& summary, const std::string& plan_id,
                                  const std::vector<BackupRecord>& backups, const std::string& backups_dir,
                                  const std::function<bool(const BackupRecord&)>& still_original);

} // namespace cfmigrate::exec
