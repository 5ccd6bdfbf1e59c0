#pragma once
// Anchored, no-follow access to files that other users may race (docs/security.md).
//
// cfmigrate runs as root over files under /home, web roots and spools. A name re-resolved at the
// moment of writing can have become a symlink to /etc/passwd. So every file apply, rollback and
// finalize read-to-mutate or mutate is reached from a directory handle of the root, one component
// at a time, never through a symlink (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
// RESOLVE_NO_MAGICLINKS where the kernel has it, an openat(O_NOFOLLOW) walk otherwise), and the
// caller keeps the parent directory's descriptor to create, rename and check inside it.

#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

namespace cfmigrate {

// An owned file descriptor (closed on destruction, movable).
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return m_fd; }
  bool valid() const { return m_fd >= 0; }
  int release()
  {
    const int fd = m_fd;
    m_fd = -1;
    return fd;
  }

private:
  int m_fd = -1;
};

// Where an inode is: enough to tell "the same file" from "another file under the same name".
struct FileIdentity {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  bool operator==(const FileIdentity&) const = default;
};

FileIdentity identity_of(const struct stat& st);

// "/home/a/./x" -> "home/a/x". Refuses what could leave the root or is ambiguous: "..", empty
// input, NUL bytes. Leading and repeated slashes and "." components are dropped.
[[nodiscard]] Result<std::string> normalize_beneath(std::string_view path);

// Who may own the directories on the way to a file: root and the file's owner. A directory owned
// by anyone else, or writable by others without the sticky bit, lets a third user swap entries
// under us, so it is refused with a message naming the directory and its owner.
struct TrustedOwners {
  std::uint32_t file_owner = 0;
};

// A directory reached from the root without following any link, and the leaf name inside it.
struct AnchoredParent {
  UniqueFd dir;
  std::string name;            // the final component
  std::string display_path;    // "/" + normalised path, for messages
  FileIdentity dir_identity;
  std::uint32_t dir_owner = 0;
};

// Opens the directory `root` (following links: the root is the operator's choice, not a user's).
[[nodiscard]] Result<UniqueFd> open_root_directory(const std::string& root);

// Walks `relative` (already normalised) from `root_fd` to its parent directory, refusing any
// symlink, any component that is not a directory and any hostile directory (see TrustedOwners).
[[nodiscard]] Result<AnchoredParent> open_parent_beneath(int root_fd, std::string_view relative,
                                                         const TrustedOwners& owners);

// A regular file opened for reading without following a link or blocking on a FIFO.
struct OpenedFile {
  UniqueFd fd;
  struct stat st {};
};

// Opens `name` inside `dir_fd` with O_NOFOLLOW | O_NONBLOCK and refuses anything but a regular
// file (symlink, FIFO, socket, device, directory): ErrorCode::unsupported. Missing: not_found.
[[nodiscard]] Result<OpenedFile> open_regular_file_at(int dir_fd, const std::string& name,
                                                      const std::string& display_path);

// The largest config file apply and rollback will hold in memory (read_fd_content's limit).
inline constexpr std::size_t k_max_mutable_file_bytes = 64U * 1024U * 1024U;

} // namespace cfmigrate
