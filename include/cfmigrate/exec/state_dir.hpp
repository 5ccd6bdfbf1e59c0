#pragma once
// StateDir: the private directory apply, rollback, status and finalize keep their lock, journals
// and backups in (default /var/lib/cfmigrate). The one place that knows its layout:
//
//   <state>/                              0700, owned by the effective user
//   <state>/lock                          FileLock
//   <state>/migrations/<id>/              0700, one per plan
//   <state>/migrations/<id>/plan.json     the plan applied
//   <state>/migrations/<id>/journal.jsonl what happened (docs/journal-format.md)
//   <state>/migrations/<id>/backups/      the original files (they hold the Global key)
//
// Backups hold the Global API Key, so the directory must be reachable by its owner only. An
// existing directory is accepted only when it is a real directory (not a symlink), owned by the
// effective user and not writable by group or others; read/search bits for group and others on a
// directory we own are removed (tightened to 0700) rather than refused.
//
// Migration ids come from plan files and command lines; every path built from one is validated
// first, so an id like "../x" never names a path outside <state>/migrations.

#include <cfmigrate/util/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::exec {

// Creates `path` with mode 0700 if absent (missing parents are created with the default mode),
// or verifies an existing one as described above. Errors: ErrorCode::conflict for an unsafe
// existing directory (symlink, not a directory, foreign owner, group/world-writable), with a
// message that says what is wrong and how to fix it; ErrorCode::io otherwise.
[[nodiscard]] Status ensure_private_directory(const std::string& path);

// True for a usable migration id: 1-128 characters of [A-Za-z0-9._-], not "." or "..".
bool is_valid_migration_id(std::string_view id);

// The files of one migration.
struct MigrationPaths {
  std::string dir;
  std::string plan;
  std::string journal;
  std::string backups;
};

class StateDir {
public:
  // Creates (or verifies) the state directory and its "migrations" subdirectory.
  [[nodiscard]] static Result<StateDir> open(const std::string& path);
  // Names the state directory without touching the filesystem (for readers: status, dry runs).
  static StateDir at(const std::string& path);

  const std::string& path() const { return m_path; }
  // "<state>/lock", for FileLock::acquire.
  std::string lock_path() const { return m_path + "/lock"; }

  // The paths of migration `id`, without creating anything. An invalid id is
  // ErrorCode::invalid_argument.
  [[nodiscard]] Result<MigrationPaths> migration(std::string_view id) const;
  // Creates (or verifies) "<state>/migrations/<id>" with mode 0700 and returns its paths.
  // An invalid id is ErrorCode::invalid_argument.
  [[nodiscard]] Result<MigrationPaths> create_migration(std::string_view id) const;

  // The ids of the migrations that have a journal, oldest journal first (so the most recent
  // last). Entries that are not valid ids or not directories are skipped; a state directory
  // without migrations (or not created yet) lists none.
  [[nodiscard]] Result<std::vector<std::string>> list_migrations() const;

private:
  explicit StateDir(std::string path) : m_path(std::move(path)) {}
  std::string migrations_root() const { return m_path + "/migrations"; }

  std::string m_path;
};

} // namespace cfmigrate::exec
