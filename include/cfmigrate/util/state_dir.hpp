#pragma once
// StateDir: the private directory apply/rollback keep their lock, journals and backups in
// (default /var/lib/cfmigrate). Backups hold the Global API Key, so the directory must be
// reachable by its owner only:
//
//   <state>/                    0700, owned by the effective user
//   <state>/lock                FileLock
//   <state>/migrations/<id>/    0700, one per plan (journal, backups/)
//
// An existing directory is accepted only when it is a real directory (not a symlink), owned by
// the effective user and not writable by group or others; read/search bits for group and others
// on a directory we own are removed (tightened to 0700) rather than refused.

#include <cfmigrate/util/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate {

// Creates `path` with mode 0700 if absent (missing parents are created with the default mode),
// or verifies an existing one as described above. Errors: ErrorCode::conflict for an unsafe
// existing directory (symlink, not a directory, foreign owner, group/world-writable), with a
// message that says what is wrong and how to fix it; ErrorCode::io otherwise.
[[nodiscard]] Status ensure_private_directory(const std::string& path);

// True for a usable migration id: 1-128 characters of [A-Za-z0-9._-], not "." or "..".
bool is_valid_migration_id(std::string_view id);

class StateDir {
public:
  // ensure_private_directory(path) and the "migrations" subdirectory.
  [[nodiscard]] static Result<StateDir> open(const std::string& path);

  const std::string& path() const { return m_path; }
  // "<state>/lock", for FileLock::acquire.
  std::string lock_path() const { return m_path + "/lock"; }
  // "<state>/migrations/<id>" without creating it (id not validated).
  std::string migration_path(std::string_view id) const;

  // Creates (or verifies) "<state>/migrations/<id>" with mode 0700 and returns its path.
  // An invalid id is ErrorCode::invalid_argument.
  [[nodiscard]] Result<std::string> migration_dir(std::string_view id) const;

  // The ids of the existing migration directories, sorted. Entries that are not valid ids or
  // not directories are skipped.
  [[nodiscard]] Result<std::vector<std::string>> list_migrations() const;

private:
  explicit StateDir(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

} // namespace cfmigrate
