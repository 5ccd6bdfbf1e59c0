#pragma once
// BackupStore: byte-exact copies of the files apply rewrites, kept in a private directory
// (<state>/migrations/<id>/backups, 0700) until `finalize` deletes them. The copies contain the
// Global API Key, which is why they are 0600 and only `finalize` / remove_all() removes them.
//
// Layout, for backup number N of content with SHA-256 H:
//   NNNNNN-H.bak    the bytes, 0600, written with replace_file_atomically (fsynced, dir fsynced)
//   NNNNNN-H.json   the sidecar: original path, the path beneath the root and the identity of the
//                   directory it was read in, size, sha256, mode, uid, gid, xattrs (hex) - no
//                   content. Written after the .bak, so a sidecar always describes a complete copy.
//                   A path that is not UTF-8 is kept as base64 ("<key>_bytes").
// A .bak without its sidecar (a crash between the two writes) is ignored by list() and deleted by
// remove_all().

#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/held_file.hpp>
#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::exec {

struct BackupRecord {
  std::uint64_t id = 0;      // 1, 2, 3... within the store
  std::string original_path; // absolute path as given to save() (symlinks not resolved)
  std::string relative_path; // the same beneath the root it was read from ("" in format-1 sidecars)
  std::optional<FileIdentity> parent; // the directory it was read in (unset in format-1 sidecars)
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

  // Keeps the content and attributes of a file read through the anchored walk; `original_path`
  // is the absolute path it had (the root joined with held.relative), for messages and status.
  [[nodiscard]] Result<BackupRecord> save(const HeldFile& held, const std::string& original_path);

  // The backed-up bytes, verified against the record's size and SHA-256 (ErrorCode::io if the
  // copy is missing or damaged).
  [[nodiscard]] Result<std::string> read_content(const BackupRecord& record) const;

  // Writes the verified bytes back through `anchor` (the root's handle, the path beneath it, and
  // the identities the caller saw: a different directory or file there is a conflict, nothing is
  // written) and restores mode, owner, group and xattrs. Recreates the file if it was deleted.
  // `injector` is passed to the atomic write (fault-injection tests).
  [[nodiscard]] Status restore(const BackupRecord& record, const Anchor& anchor,
                               const FailureInjector& injector = {}) const;

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
