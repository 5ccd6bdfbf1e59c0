#pragma once
// BackupStore: byte-exact copies of the files apply rewrites, kept in a private directory
// (<state>/migrations/<id>/backups, 0700) until `finalize` deletes them. The copies contain the
// Global API Key, which is why they are 0600 and only `finalize` / remove_all() removes them.
//
// Layout, for backup number N of content with SHA-256 H:
//   NNNNNN-H.bak    the bytes, 0600, written with replace_file_atomically (fsynced, dir fsynced)
//   NNNNNN-H.json   the sidecar: original path, size, sha256, mode, uid, gid, xattrs (hex) - no
//                   content. Written after the .bak, so a sidecar always describes a complete copy.
// A .bak without its sidecar (a crash between the two writes) is ignored by list() and deleted by
// remove_all().

#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cfmigrate::exec {

struct BackupRecord {
  std::uint64_t id = 0;      // 1, 2, 3... within the store
  std::string original_path; // absolute path as given to save() (symlinks not resolved)
  std::string sha256;        // lowercase hex of the content
  std::uint64_t size = 0;
  std::uint32_t mode = 0;    // permission bits (07777) of the original
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<Xattr> xattrs; // the original's extended attributes
  bool operator==(const BackupRecord&) const = default;
};

class BackupStore {
public:
  // Creates `directory` (0700) or verifies it with ensure_private_directory().
  [[nodiscard]] static Result<BackupStore> open(const std::string& directory);

  // Copies the content and attributes of `original_path` (following a symlink to the file it
  // names) into the store. Errors: not_found for a missing file, unsupported for a non-regular
  // file, conflict if the file changed while being read, io otherwise.
  [[nodiscard]] Result<BackupRecord> save(const std::string& original_path);

  // The backed-up bytes, verified against the record's size and SHA-256 (ErrorCode::io if the
  // copy is missing or damaged).
  [[nodiscard]] Result<std::string> read_content(const BackupRecord& record) const;

  // Writes the verified bytes back to record.original_path with replace_file_atomically and
  // restores mode, owner, group and xattrs. Recreates the file if it was deleted. `injector` is
  // passed to the atomic write (fault-injection tests).
  [[nodiscard]] Status restore(const BackupRecord& record, const FailureInjector& injector = {}) const;

  // The record with this id, from its sidecar (not_found if absent).
  [[nodiscard]] Result<BackupRecord> load(std::uint64_t id) const;

  // Every complete backup, sorted by id.
  [[nodiscard]] Result<std::vector<BackupRecord>> list() const;

  // Deletes every file in the store (backups, sidecars, leftovers) and fsyncs the directory.
  // Returns the number of files removed. The directory itself stays.
  [[nodiscard]] Result<std::size_t> remove_all();

  const std::string& directory() const { return m_dir; }
  // "<dir>/NNNNNN-<sha256>.bak"
  std::string content_path(const BackupRecord& record) const;
  // "<dir>/NNNNNN-<sha256>.json"
  std::string sidecar_path(const BackupRecord& record) const;

private:
  explicit BackupStore(std::string dir) : m_dir(std::move(dir)) {}
  Result<std::vector<std::string>> file_names() const;
  Result<std::uint64_t> next_id() const;

  std::string m_dir;
};

} // namespace cfmigrate::exec
