#pragma once
// AtomicFile: replace a file's content so that, at every instant and after a crash at any point,
// the path holds either the complete old bytes or the complete new bytes, never a mixture.
//
// The sequence (ccache's AtomicFile, mold's temp-and-rename, plus metadata and an undo):
//   1. resolve a symlinked path to its final target (the target is rewritten, the link is kept);
//   2. open_temp:  create ".<name>.cfmigrate-<random>.tmp" in the target's directory with
//                  O_CREAT|O_EXCL, mode 0600 (so nobody else can read the new content while it is
//                  being written);
//   3. write:      write every byte (partial writes and EINTR are retried; ENOSPC is an error);
//   4. set_owner:  fchown to the original's uid/gid (before the mode: chown clears set-id bits);
//   5. set_xattrs: copy the original's extended attributes (listxattr/getxattr -> fsetxattr;
//                  ENOTSUP is ignored). After the chown (which drops security.capability) and
//                  before the mode (user.* xattrs need write permission on the inode);
//   6. set_mode:   fchmod to the original's permission bits (incl. set-id and sticky bits);
//   7. fsync_file: fsync the temp file, so content and metadata are durable before the rename;
//   8. rename:     exchange the temp file and the target (renameat2 RENAME_EXCHANGE; a plain
//                  rename where the filesystem does not support the exchange);
//   9. fsync_dir:  fsync the directory. If this fails after an exchange, the exchange is undone
//                  (the original inode goes back to its name) and the call fails with nothing
//                  changed. On success the previous content, now under the temp name, is removed.
//
// Guarantees: on any error the temp file has been removed and the original is untouched (same
// bytes, same inode) - with two documented exceptions where the new content is already in
// place: fsync_dir failing on a filesystem without RENAME_EXCHANGE, and the final unlink of the
// previous content failing. Both are reported as ErrorCode::io with a message that says so.
// An AtomicFile that is destroyed without commit() never touches the target.
// Error messages name the step and the errno text, never the content.

#include <cfmigrate/util/file_attributes.hpp>
#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cfmigrate {

// The steps of a replacement, in execution order. A FailureInjector is called before each one.
enum class AtomicStep {
  open_temp,
  write,
  set_owner,
  set_xattrs,
  set_mode,
  fsync_file,
  rename,
  fsync_dir,
};

// Every step, in execution order (for tests that fail each one in turn).
inline constexpr AtomicStep k_all_atomic_steps[] = {
  AtomicStep::open_temp, AtomicStep::write,      AtomicStep::set_owner, AtomicStep::set_xattrs,
  AtomicStep::set_mode,  AtomicStep::fsync_file, AtomicStep::rename,    AtomicStep::fsync_dir,
};

const char* to_string(AtomicStep step);

// Called before each step; an error return is treated exactly like the step itself failing.
// For fault-injection tests; production code leaves it empty.
using FailureInjector = std::function<Status(AtomicStep)>;

// What to do when the target does not exist.
enum class MissingTarget { fail, create };

// What to do when the target has more than one hard link (a rename gives this name a new inode,
// so the other names would keep the old content).
enum class HardLinks { refuse, break_link };

// Reaching the file from a directory handle of the root, one component at a time, never through a
// link (util/anchored_path.hpp; docs/security.md). Used wherever another user may race us.
struct Anchor {
  int root_fd = -1;                        // an open directory: the root the path is beneath
  std::string relative;                    // the path below it, e.g. "/home/a/.acme.sh/account.conf"
  std::uint32_t trusted_owner = 0;         // besides root, who may own the directories on the way
  std::optional<FileIdentity> expected;    // the inode that was read: anything else is a conflict
  std::optional<FileIdentity> expected_parent; // the directory it was read in: likewise
};

struct AtomicWriteOptions {
  // Set: the path is reached through the anchor and `path` is only for messages. Unset: the
  // path is resolved by name (for files only cfmigrate writes, e.g. in its state dir).
  std::optional<Anchor> anchor;
  MissingTarget missing = MissingTarget::fail;
  HardLinks hard_links = HardLinks::refuse;
  // The attributes the new file gets. Unset: copied from the existing target; for a missing
  // target (MissingTarget::create) 0600, the caller's effective uid/gid and no xattrs.
  std::optional<FileAttributes> attributes;
  FailureInjector failure_injector;
};

class AtomicFile {
public:
  // Resolves `path`, snapshots the target's attributes and creates the temp file.
  // Errors: not_found (missing target with MissingTarget::fail, or missing directory),
  // unsupported (not a regular file, several hard links with HardLinks::refuse), io.
  [[nodiscard]] static Result<AtomicFile> open(const std::string& path, AtomicWriteOptions options = {});

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  // Never commits: removes the temp file if commit() did not succeed.
  ~AtomicFile();

  // Appends bytes to the temp file. After an error the AtomicFile is unusable (commit fails).
  [[nodiscard]] Status write(std::string_view bytes);

  // Steps 4-9 above. Can be called once; after an error the temp file is gone.
  [[nodiscard]] Status commit();

  // The path that is really rewritten (the symlink target when `path` was a symlink).
  const std::string& target_path() const { return m_target; }
  const std::string& temp_path() const { return m_temp; }

private:
  AtomicFile() = default;
  [[nodiscard]] static Result<AtomicFile> open_anchored(const std::string& path, AtomicWriteOptions options);
  Status create_temp();
  // The steps of commit(), in order; each fails the AtomicFile as described above.
  Status copy_attributes();            // set_owner, set_xattrs, set_mode
  Status sync_temp();                  // fsync_file, then close
  Status rename_over_target();         // rename; sets m_exchanged
  Status check_exchanged_original();   // the exchanged-out inode is the one open() saw
  Status sync_directory();             // fsync_dir, undoing the rename where it can
  Status remove_previous_content();    // after an exchange: unlink the old inode
  bool undo_exchange();                // puts the original back after an exchange
  Status undo_failed(const std::string& why);

  Status fail_step(AtomicStep step, int err);
  Status inject(AtomicStep step);      // on an injected error: discard and fail
  Status inject_keep(AtomicStep step); // just asks the injector
  void discard() noexcept;

  std::string m_requested;   // the path as given (for error messages)
  std::string m_target;      // resolved target
  std::string m_dir;         // directory of the target
  std::string m_target_name; // file name of the target within m_dir
  std::string m_temp_name;   // file name of the temp file within m_dir
  std::string m_temp;        // m_dir + "/" + m_temp_name
  FileAttributes m_attributes;
  FailureInjector m_injector;
  std::uint64_t m_target_dev = 0; // identity of the target inode seen by open()
  std::uint64_t m_target_ino = 0;
  int m_dir_fd = -1;
  int m_fd = -1;
  bool m_target_existed = false;
  bool m_exchanged = false;       // the rename exchanged the files (the old inode is at m_temp_name)
  bool m_failed = false;
  bool m_committed = false;
};

// open + write + commit. The one call apply and restore use.
[[nodiscard]] Status replace_file_atomically(const std::string& path, std::string_view new_content,
                                             const AtomicWriteOptions& options = {});

// Removes temp files an interrupted replacement of `path` may have left next to its target
// (".<name>.cfmigrate-*.tmp"). Returns how many were removed. Missing target directory: 0.
[[nodiscard]] Result<std::size_t> remove_stale_temp_files(const std::string& path);
// The same inside a directory already held open (the anchored walk's parent): `name` is the
// target's final component, `dir_for_errors` only names the directory in messages.
[[nodiscard]] Result<std::size_t> remove_stale_temp_files_at(int dir_fd, const std::string& name,
                                                             const std::string& dir_for_errors);
// The same for `relative` beneath `root_fd`, reached through the anchored walk. Missing directory: 0.
[[nodiscard]] Result<std::size_t> remove_stale_temp_files_beneath(int root_fd, const std::string& relative,
                                                                  std::uint32_t trusted_owner);

} // namespace cfmigrate
