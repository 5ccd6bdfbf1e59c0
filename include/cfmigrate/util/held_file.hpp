#pragma once
// A file read through the anchored walk (util/anchored_path.hpp) and everything needed to write
// it back only where, and only over what, it was read: the parent directory's and the file's
// identity, its attributes and its bytes. apply backs up and replaces what it holds; rollback
// compares and restores through the same walk (docs/security.md).

#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/file_attributes.hpp>
#include <cfmigrate/util/result.hpp>

#include <string>
#include <string_view>

namespace cfmigrate {

struct HeldFile {
  std::string relative;        // normalised path beneath the root ("home/a/.acme.sh/account.conf")
  std::string display_path;    // "/" + relative, for messages
  FileIdentity parent;         // the directory it was read in
  FileIdentity identity;       // the inode that was read
  FileAttributes attributes;   // mode, owner, group, xattrs of that inode
  std::string content;
};

// Reads `path` (normalised with normalize_beneath) beneath the directory `root_fd`: no link is
// followed, no directory owned by anyone but root and `trusted_owner` is crossed, and anything but
// a regular file of at most k_max_mutable_file_bytes is refused (a FIFO or a device never blocks
// or floods us). Errors: not_found, unsupported (link, FIFO, device, too large, hostile
// directory), invalid_argument (a path that would leave the root), io.
[[nodiscard]] Result<HeldFile> hold_file_beneath(int root_fd, std::string_view path, std::uint32_t trusted_owner);

} // namespace cfmigrate
