#include <cfmigrate/util/atomic_file.hpp>

#include <cfmigrate/util/errno_text.hpp>
#include <cfmigrate/util/hex.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace cfmigrate {

const char* to_string(AtomicStep step)
{
  switch (step) {
  case AtomicStep::open_temp: return "open temp file";
  case AtomicStep::write: return "write temp file";
  case AtomicStep::set_owner: return "set owner and group";
  case AtomicStep::set_xattrs: return "copy extended attributes";
  case AtomicStep::set_mode: return "set mode";
  case AtomicStep::fsync_file: return "fsync temp file";
  case AtomicStep::rename: return "rename temp file over target";
  case AtomicStep::fsync_dir: return "fsync directory";
  }
  return "unknown step";
}

namespace {

constexpr std::string_view k_temp_marker = ".cfmigrate-";
constexpr std::string_view k_temp_suffix = ".tmp";
constexpr std::size_t k_random_hex_digits = 12;
constexpr std::size_t k_max_name_in_temp = 180; // NAME_MAX is 255 on Linux

std::string temp_prefix_for(const std::string& name)
{
  std::string prefix = ".";
  prefix += name.substr(0, std::min(name.size(), k_max_name_in_temp));
  prefix += k_temp_marker;
  return prefix;
}

bool is_temp_name_for(const std::string& candidate, const std::string& prefix)
{
  if (candidate.size() != prefix.size() + k_random_hex_digits + k_temp_suffix.size()
      || candidate.compare(0, prefix.size(), prefix) != 0
      || candidate.compare(candidate.size() - k_temp_suffix.size(), k_temp_suffix.size(), k_temp_suffix) != 0) {
    return false;
  }
  for (std::size_t i = prefix.size(); i < prefix.size() + k_random_hex_digits; ++i) {
    const char c = candidate[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

struct SplitPath {
  std::string dir;
  std::string name;
};

Result<SplitPath> split_path(const std::string& path)
{
  if (path.empty() || path.back() == '/') {
    return make_error(ErrorCode::invalid_argument, "not a file path", path);
  }
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return SplitPath{".", path};
  }
  return SplitPath{slash == 0 ? std::string("/") : path.substr(0, slash), path.substr(slash + 1)};
}

struct Resolved {
  std::string target;
  bool exists = false;
  struct stat st {};
};

// Resolves a symlinked path to its final target. A missing target is not an error here.
Result<Resolved> resolve(const std::string& path)
{
  Resolved out;
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      out.target = path;
      return out;
    }
    return make_error(ErrorCode::io, "cannot stat: " + errno_text(err), path);
  }
  out.target = path;
  if (S_ISLNK(lst.st_mode)) {
    std::error_code ec;
    const std::filesystem::path canonical = std::filesystem::canonical(path, ec);
    if (ec) {
      if (ec == std::errc::no_such_file_or_directory) {
        return make_error(ErrorCode::not_found, "symlink target does not exist", path);
      }
      return make_error(ErrorCode::io, "cannot resolve symlink: " + ec.message(), path);
    }
    out.target = canonical.string();
    if (::lstat(out.target.c_str(), &lst) != 0) {
      return make_error(ErrorCode::io, "cannot stat symlink target: " + errno_text(errno), path);
    }
  }
  out.exists = true;
  out.st = lst;
  return out;
}

} // namespace

// ---- AtomicFile -------------------------------------------------------------------------------

Result<AtomicFile> AtomicFile::open(const std::string& path, AtomicWriteOptions options)
{
  if (options.anchor) {
    return open_anchored(path, std::move(options));
  }
  CFM_TRY(const Resolved resolved, resolve(path));
  if (!resolved.exists && options.missing == MissingTarget::fail) {
    return make_error(ErrorCode::not_found, "cannot replace: file does not exist", path);
  }
  if (resolved.exists) {
    if (!S_ISREG(resolved.st.st_mode)) {
      return make_error(ErrorCode::unsupported, "cannot replace: not a regular file", path);
    }
    if (resolved.st.st_nlink > 1 && options.hard_links == HardLinks::refuse) {
      return make_error(ErrorCode::unsupported,
                        "cannot replace: the file has " + std::to_string(resolved.st.st_nlink)
                          + " hard links and a rename would separate them",
                        path);
    }
  }
  CFM_TRY(const SplitPath split, split_path(resolved.target));

  AtomicFile file;
  file.m_requested = path;
  file.m_target = resolved.target;
  file.m_dir = split.dir;
  file.m_target_name = split.name;
  file.m_injector = std::move(options.failure_injector);
  file.m_target_existed = resolved.exists;
  if (resolved.exists) {
    file.m_target_dev = static_cast<std::uint64_t>(resolved.st.st_dev);
    file.m_target_ino = static_cast<std::uint64_t>(resolved.st.st_ino);
  }
  if (options.attributes) {
    file.m_attributes = std::move(*options.attributes);
  } else if (resolved.exists) {
    CFM_TRY(file.m_attributes, read_file_attributes(resolved.target));
  } else {
    file.m_attributes.mode = 0600;
    file.m_attributes.uid = static_cast<std::uint32_t>(::geteuid());
    file.m_attributes.gid = static_cast<std::uint32_t>(::getegid());
  }

  file.m_dir_fd = ::open(file.m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (file.m_dir_fd < 0) {
    const int err = errno;
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                      "cannot open directory: " + errno_text(err), path);
  }
  CFM_TRY_STATUS(file.create_temp());
  return file;
}

Result<AtomicFile> AtomicFile::open_anchored(const std::string& path, AtomicWriteOptions options)
{
  const Anchor& anchor = *options.anchor;
  CFM_TRY(AnchoredParent parent,
          open_parent_beneath(anchor.root_fd, anchor.relative, TrustedOwners{anchor.trusted_owner}));
  if (anchor.expected_parent && parent.dir_identity != *anchor.expected_parent) {
    return make_error(ErrorCode::conflict, "the directory was replaced since the file was read; not changed", path);
  }
  AtomicFile file;
  file.m_requested = path;
  file.m_target = parent.display_path;
  const std::size_t slash = parent.display_path.rfind('/');
  file.m_dir = slash == 0 ? std::string("/") : parent.display_path.substr(0, slash);
  file.m_target_name = parent.name;
  file.m_injector = std::move(options.failure_injector);
  auto target = open_regular_file_at(parent.dir.get(), parent.name, parent.display_path);
  if (!target && (target.error().code() != ErrorCode::not_found || options.missing == MissingTarget::fail)) {
    return target.error();
  }
  if (target) {
    if (target->st.st_nlink > 1 && options.hard_links == HardLinks::refuse) {
      return make_error(ErrorCode::unsupported, "cannot replace: the file has several hard links", path);
    }
    if (anchor.expected && identity_of(target->st) != *anchor.expected) {
      return make_error(ErrorCode::conflict, "the file was replaced since it was read; not changed", path);
    }
    file.m_target_existed = true;
    file.m_target_dev = static_cast<std::uint64_t>(target->st.st_dev);
    file.m_target_ino = static_cast<std::uint64_t>(target->st.st_ino);
  }
  if (options.attributes) {
    file.m_attributes = std::move(*options.attributes);
  } else if (target) {
    CFM_TRY(file.m_attributes, read_file_attributes(target->fd.get(), path));
  } else {
    file.m_attributes.mode = 0600;
    file.m_attributes.uid = static_cast<std::uint32_t>(::geteuid());
    file.m_attributes.gid = static_cast<std::uint32_t>(::getegid());
  }
  file.m_dir_fd = parent.dir.release();
  CFM_TRY_STATUS(file.create_temp());
  return file;
}

Status AtomicFile::create_temp()
{
  CFM_TRY_STATUS(inject(AtomicStep::open_temp));
  const std::string prefix = temp_prefix_for(m_target_name);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = prefix + random_hex(k_random_hex_digits / 2) + std::string(k_temp_suffix);
    const int fd = ::openat(m_dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
      m_fd = fd;
      m_temp_name = std::move(name);
      m_temp = (m_dir == "/" ? std::string() : m_dir) + "/" + m_temp_name;
      return {};
    }
    if (errno != EEXIST) {
      return fail_step(AtomicStep::open_temp, errno);
    }
  }
  return fail_step(AtomicStep::open_temp, EEXIST);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
  : m_requested(std::move(other.m_requested)),
    m_target(std::move(other.m_target)),
    m_dir(std::move(other.m_dir)),
    m_target_name(std::move(other.m_target_name)),
    m_temp_name(std::move(other.m_temp_name)),
    m_temp(std::move(other.m_temp)),
    m_attributes(std::move(other.m_attributes)),
    m_injector(std::move(other.m_injector)),
    m_target_dev(other.m_target_dev),
    m_target_ino(other.m_target_ino),
    m_dir_fd(std::exchange(other.m_dir_fd, -1)),
    m_fd(std::exchange(other.m_fd, -1)),
    m_target_existed(other.m_target_existed),
    m_exchanged(other.m_exchanged),
    m_failed(other.m_failed),
    m_committed(other.m_committed)
{
  other.m_temp_name.clear();
  other.m_failed = true;
}

AtomicFile::~AtomicFile()
{
  discard();
}

void AtomicFile::discard() noexcept
{
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
  if (!m_temp_name.empty() && m_dir_fd >= 0) {
    ::unlinkat(m_dir_fd, m_temp_name.c_str(), 0);
  }
  m_temp_name.clear();
  if (m_dir_fd >= 0) {
    ::close(m_dir_fd);
    m_dir_fd = -1;
  }
}

Status AtomicFile::fail_step(AtomicStep step, int err)
{
  discard();
  m_failed = true;
  return make_error(ErrorCode::io,
                    std::string("atomic replace failed at step '") + to_string(step) + "': " + errno_text(err)
                      + "; the file was not changed",
                    m_requested);
}

Status AtomicFile::inject(AtomicStep step)
{
  if (!m_injector) {
    return {};
  }
  Status injected = m_injector(step);
  if (injected) {
    return {};
  }
  discard();
  m_failed = true;
  return make_error(ErrorCode::io,
                    std::string("atomic replace failed at step '") + to_string(step)
                      + "': " + injected.error().message() + "; the file was not changed",
                    m_requested);
}

Status AtomicFile::write(std::string_view bytes)
{
  if (m_failed || m_committed || m_fd < 0) {
    return make_error(ErrorCode::internal, "write on an AtomicFile that is closed or failed", m_requested);
  }
  CFM_TRY_STATUS(inject(AtomicStep::write));
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(m_fd, data, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail_step(AtomicStep::write, errno);
    }
    if (n == 0) {
      return fail_step(AtomicStep::write, EIO);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

Status AtomicFile::commit()
{
  if (m_failed || m_committed || m_fd < 0) {
    return make_error(ErrorCode::internal, "commit on an AtomicFile that is closed or failed", m_requested);
  }
  CFM_TRY_STATUS(copy_attributes());
  CFM_TRY_STATUS(sync_temp());
  CFM_TRY_STATUS(rename_over_target());
  if (m_exchanged) {
    CFM_TRY_STATUS(check_exchanged_original());
  } else {
    m_temp_name.clear(); // consumed by the rename
  }
  CFM_TRY_STATUS(sync_directory());
  m_committed = true;
  return remove_previous_content();
}

Status AtomicFile::copy_attributes()
{
  // Owner first: chown clears set-id bits and security.capability, which the later steps set.
  CFM_TRY_STATUS(inject(AtomicStep::set_owner));
  struct stat st {};
  if (::fstat(m_fd, &st) != 0) {
    return fail_step(AtomicStep::set_owner, errno);
  }
  const auto uid = static_cast<uid_t>(m_attributes.uid);
  const auto gid = static_cast<gid_t>(m_attributes.gid);
  if ((st.st_uid != uid || st.st_gid != gid) && ::fchown(m_fd, uid, gid) != 0) {
    return fail_step(AtomicStep::set_owner, errno);
  }

  CFM_TRY_STATUS(inject(AtomicStep::set_xattrs));
  for (const Xattr& x : m_attributes.xattrs) {
    if (::fsetxattr(m_fd, x.name.c_str(), x.value.data(), x.value.size(), 0) != 0) {
      if (is_xattr_unsupported(errno)) {
        break;
      }
      return fail_step(AtomicStep::set_xattrs, errno);
    }
  }

  CFM_TRY_STATUS(inject(AtomicStep::set_mode));
  if (::fchmod(m_fd, static_cast<mode_t>(m_attributes.mode & 07777)) != 0) {
    return fail_step(AtomicStep::set_mode, errno);
  }
  return {};
}

Status AtomicFile::sync_temp()
{
  CFM_TRY_STATUS(inject(AtomicStep::fsync_file));
  if (::fsync(m_fd) != 0) {
    return fail_step(AtomicStep::fsync_file, errno);
  }
  const int fd = std::exchange(m_fd, -1);
  if (::close(fd) != 0 && errno != EINTR) {
    return fail_step(AtomicStep::fsync_file, errno);
  }
  return {};
}

Status AtomicFile::rename_over_target()
{
  CFM_TRY_STATUS(inject(AtomicStep::rename));
  if (m_target_existed) {
    if (::renameat2(m_dir_fd, m_temp_name.c_str(), m_dir_fd, m_target_name.c_str(), RENAME_EXCHANGE) == 0) {
      m_exchanged = true;
    } else if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
      return fail_step(AtomicStep::rename, errno);
    } else if (::renameat(m_dir_fd, m_temp_name.c_str(), m_dir_fd, m_target_name.c_str()) != 0) {
      return fail_step(AtomicStep::rename, errno);
    }
    return {};
  }
  int rc = ::renameat2(m_dir_fd, m_temp_name.c_str(), m_dir_fd, m_target_name.c_str(), RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP)) {
    rc = ::renameat(m_dir_fd, m_temp_name.c_str(), m_dir_fd, m_target_name.c_str());
  }
  if (rc != 0) {
    if (errno == EEXIST) {
      discard();
      m_failed = true;
      return make_error(ErrorCode::conflict, "the file appeared while it was being created; not changed",
                        m_requested);
    }
    return fail_step(AtomicStep::rename, errno);
  }
  return {};
}

bool AtomicFile::undo_exchange()
{
  return ::renameat2(m_dir_fd, m_temp_name.c_str(), m_dir_fd, m_target_name.c_str(), RENAME_EXCHANGE) == 0;
}

Status AtomicFile::undo_failed(const std::string& why)
{
  // The temp name now holds the original content: never delete it.
  const std::string left_at = m_temp;
  m_temp_name.clear();
  discard();
  m_failed = true;
  return make_error(ErrorCode::io,
                    why + "; undoing the rename failed too: the new content is in place and the "
                          "previous content is at "
                      + left_at,
                    m_requested);
}

Status AtomicFile::check_exchanged_original()
{
  // The previous content must be the inode we snapshotted; otherwise someone replaced the file
  // after open() and we would be discarding their write.
  struct stat old_st {};
  if (::fstatat(m_dir_fd, m_temp_name.c_str(), &old_st, AT_SYMLINK_NOFOLLOW) == 0
      && static_cast<std::uint64_t>(old_st.st_dev) == m_target_dev
      && static_cast<std::uint64_t>(old_st.st_ino) == m_target_ino) {
    return {};
  }
  if (!undo_exchange()) {
    return undo_failed("the file was replaced by someone else during the rewrite");
  }
  discard();
  m_failed = true;
  return make_error(ErrorCode::conflict, "the file was replaced by someone else during the rewrite; not changed",
                    m_requested);
}

Status AtomicFile::sync_directory()
{
  Status injected = inject_keep(AtomicStep::fsync_dir);
  const int dir_err = !injected ? EIO : (::fsync(m_dir_fd) != 0 ? errno : 0);
  if (dir_err == 0) {
    return {};
  }
  const std::string why = std::string("atomic replace failed at step 'fsync directory': ")
                          + (!injected ? injected.error().message() : errno_text(dir_err));
  if (m_exchanged) {
    if (!undo_exchange()) {
      return undo_failed(why);
    }
    ::fsync(m_dir_fd);
    discard(); // removes the new content, now under the temp name
    m_failed = true;
    return make_error(ErrorCode::io, why + "; the original was put back", m_requested);
  }
  if (!m_target_existed) {
    ::unlinkat(m_dir_fd, m_target_name.c_str(), 0);
    ::fsync(m_dir_fd);
    discard();
    m_failed = true;
    return make_error(ErrorCode::io, why + "; the new file was removed", m_requested);
  }
  discard();
  m_failed = true;
  return make_error(ErrorCode::io,
                    why + "; this filesystem cannot exchange files, so the new content is in place but "
                          "may not be durable",
                    m_requested);
}

Status AtomicFile::remove_previous_content()
{
  if (m_exchanged) {
    if (::unlinkat(m_dir_fd, m_temp_name.c_str(), 0) != 0) {
      const int err = errno;
      const std::string left_at = m_temp;
      m_temp_name.clear();
      discard();
      return make_error(ErrorCode::io,
                        "the file was replaced, but removing its previous content failed (" + errno_text(err)
                          + "); it is at " + left_at,
                        m_requested);
    }
    m_temp_name.clear();
    ::fsync(m_dir_fd); // best effort: a lost unlink only leaves a stale temp file
  }
  discard();
  return {};
}

Status AtomicFile::inject_keep(AtomicStep step)
{
  if (!m_injector) {
    return {};
  }
  return m_injector(step);
}

Status replace_file_atomically(const std::string& path, std::string_view new_content,
                               const AtomicWriteOptions& options)
{
  CFM_TRY(AtomicFile file, AtomicFile::open(path, options));
  CFM_TRY_STATUS(file.write(new_content));
  return file.commit();
}

Result<std::size_t> remove_stale_temp_files(const std::string& path)
{
  CFM_TRY(const Resolved resolved, resolve(path));
  CFM_TRY(const SplitPath split, split_path(resolved.target));
  const UniqueFd dir_fd(::open(split.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd.valid()) {
    if (errno == ENOENT) {
      return std::size_t{0};
    }
    return make_error(ErrorCode::io, "cannot open directory: " + errno_text(errno), split.dir);
  }
  return remove_stale_temp_files_at(dir_fd.get(), split.name, split.dir);
}

Result<std::size_t> remove_stale_temp_files_at(int dir_fd, const std::string& name, const std::string& dir_for_errors)
{
  const std::string prefix = temp_prefix_for(name);
  // opendir takes ownership of the descriptor it is given: hand it a duplicate.
  const int listing_fd = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  DIR* dir = listing_fd < 0 ? nullptr : ::fdopendir(listing_fd);
  if (dir == nullptr) {
    const int err = errno;
    if (listing_fd >= 0) {
      ::close(listing_fd);
    }
    return make_error(ErrorCode::io, "cannot list directory: " + errno_text(err), dir_for_errors);
  }
  ::rewinddir(dir); // the duplicate shares the offset of any earlier listing
  std::vector<std::string> stale;
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string entry_name = entry->d_name;
    if (is_temp_name_for(entry_name, prefix)) {
      stale.push_back(entry_name);
    }
  }
  const int read_err = errno;
  ::closedir(dir);
  if (read_err != 0) {
    return make_error(ErrorCode::io, "cannot list directory: " + errno_text(read_err), dir_for_errors);
  }
  std::size_t removed = 0;
  for (const std::string& stale_name : stale) {
    if (::unlinkat(dir_fd, stale_name.c_str(), 0) == 0) {
      ++removed;
    } else if (errno != ENOENT) {
      return make_error(ErrorCode::io, "cannot remove stale temp file: " + errno_text(errno),
                        dir_for_errors + "/" + stale_name);
    }
  }
  if (removed > 0) {
    ::fsync(dir_fd);
  }
  return removed;
}

Result<std::size_t> remove_stale_temp_files_beneath(int root_fd, const std::string& relative, std::uint32_t trusted_owner)
{
  auto parent = open_parent_beneath(root_fd, relative, TrustedOwners{trusted_owner});
  if (!parent) {
    if (parent.error().code() == ErrorCode::not_found) {
      return std::size_t{0};
    }
    return parent.error();
  }
  const std::size_t slash = parent->display_path.rfind('/');
  return remove_stale_temp_files_at(parent->dir.get(), parent->name, parent->display_path.substr(0, slash));
}

} // namespace cfmigrate
