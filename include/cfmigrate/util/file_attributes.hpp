#pragma once
// The metadata of a file that a replacement keeps: permission bits, owner, group and extended
// attributes (AtomicFile copies them onto the new content; BackupStore records them).

#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cfmigrate {

// One extended attribute: full name ("user.comment", "security.selinux") and raw value bytes.
struct Xattr {
  std::string name;
  std::string value;
  bool operator==(const Xattr&) const = default;
};

// The metadata a replacement preserves.
struct FileAttributes {
  std::uint32_t mode = 0600;   // permission bits, including set-id and sticky bits (07777)
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<Xattr> xattrs;   // sorted by name
  bool operator==(const FileAttributes&) const = default;
};

// Reads mode, owner, group and extended attributes of `path`, not following a final symlink.
// A filesystem without xattr support gives an empty list. Missing file: ErrorCode::not_found.
[[nodiscard]] Result<FileAttributes> read_file_attributes(const std::string& path);

// Same, through an open file descriptor (a consistent snapshot of the inode being read).
[[nodiscard]] Result<FileAttributes> read_file_attributes(int fd, const std::string& path_for_errors);

// Whether an errno value from an xattr call means the filesystem keeps no extended attributes.
bool is_xattr_unsupported(int err);

} // namespace cfmigrate
