#include <cfmigrate/util/anchored_path.hpp>

#include <cfmigrate/util/errno_text.hpp>

#include <cerrno>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace cfmigrate {

namespace {

// openat2 is Linux 5.6+; older kernels (and seccomp filters that hide it) answer ENOSYS, and then
// the component-wise walk below does the same job.
int openat2_beneath(int dir_fd, const char* path, std::uint64_t flags)
{
#ifdef SYS_openat2
  open_how how{};
  how.flags = flags;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, dir_fd, path, &how, sizeof how));
#else
  (void)dir_fd;
  (void)path;
  (void)flags;
  errno = ENOSYS;
  return -1;
#endif
}

Error walk_error(int err, const std::string& display)
{
  if (err == ELOOP || err == EXDEV) {
    return make_error(ErrorCode::unsupported, "refusing to follow a symbolic link or leave the root on the way to the file",
                      display);
  }
  if (err == ENOTDIR) {
    return make_error(ErrorCode::unsupported, "a component of the path is not a directory", display);
  }
  if (err == ENOENT) {
    return make_error(ErrorCode::not_found, "directory does not exist", display);
  }
  return make_error(ErrorCode::io, "cannot open directory: " + errno_text(err), display);
}

// One component, never through a link: O_NOFOLLOW makes a symlink fail with ELOOP, O_DIRECTORY a
// non-directory with ENOTDIR.
Result<UniqueFd> open_directory_component(int dir_fd, const std::string& name, const std::string& display)
{
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return walk_error(errno, display);
  }
  return UniqueFd(fd);
}

Status check_directory_is_trusted(const struct stat& st, const TrustedOwners& owners, const std::string& display)
{
  const auto owner = static_cast<std::uint32_t>(st.st_uid);
  if (owner != 0 && owner != owners.file_owner) {
    return make_error(ErrorCode::conflict,
                      "directory owned by uid " + std::to_string(owner)
                        + ", neither root nor the file's owner (uid " + std::to_string(owners.file_owner)
                        + "): refusing to write through a directory another user controls",
                      display);
  }
  const bool others_write = (st.st_mode & S_IWOTH) != 0;
  const bool sticky = (st.st_mode & S_ISVTX) != 0;
  if (others_write && !sticky) {
    return make_error(ErrorCode::conflict,
                      "directory is writable by every user (no sticky bit): refusing to write through it", display);
  }
  return {};
}

std::vector<std::string> split_components(std::string_view relative)
{
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at <= relative.size()) {
    const std::size_t slash = relative.find('/', at);
    const std::size_t end = slash == std::string_view::npos ? relative.size() : slash;
    if (end > at) {
      parts.emplace_back(relative.substr(at, end - at));
    }
    if (slash == std::string_view::npos) {
      break;
    }
    at = slash + 1;
  }
  return parts;
}

} // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept
{
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

FileIdentity identity_of(const struct stat& st)
{
  return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

Result<std::string> normalize_beneath(std::string_view path)
{
  if (path.empty()) {
    return make_error(ErrorCode::invalid_argument, "empty path");
  }
  if (path.find('\0') != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument, "path contains a NUL byte");
  }
  std::string out;
  for (const std::string& part : split_components(path)) {
    if (part == ".") {
      continue;
    }
    if (part == "..") {
      return make_error(ErrorCode::invalid_argument, "path contains '..'", std::string(path));
    }
    out += (out.empty() ? "" : "/") + part;
  }
  if (out.empty()) {
    return make_error(ErrorCode::invalid_argument, "path names no file", std::string(path));
  }
  return out;
}

Result<UniqueFd> open_root_directory(const std::string& root)
{
  const int fd = ::open(root.empty() ? "/" : root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot open root: " + errno_text(err), root);
  }
  return UniqueFd(fd);
}

Result<AnchoredParent> open_parent_beneath(int root_fd, std::string_view relative, const TrustedOwners& owners)
{
  CFM_TRY(const std::string normal, normalize_beneath(relative));
  const std::string display = "/" + normal;
  std::vector<std::string> parts = split_components(normal);
  AnchoredParent out;
  out.name = parts.back();
  out.display_path = display;
  parts.pop_back();

  // The root itself is trusted (the operator named it); every directory below it is checked.
  const int root_copy = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  if (root_copy < 0) {
    return make_error(ErrorCode::io, "cannot duplicate the root handle: " + errno_text(errno), display);
  }
  UniqueFd current(root_copy);
  std::string walked;
  for (const std::string& part : parts) {
    walked += "/" + part;
    CFM_TRY(UniqueFd next, open_directory_component(current.get(), part, walked));
    struct stat st {};
    if (::fstat(next.get(), &st) != 0) {
      return make_error(ErrorCode::io, "cannot stat directory: " + errno_text(errno), walked);
    }
    CFM_TRY_STATUS(check_directory_is_trusted(st, owners, walked));
    current = std::move(next);
  }
  if (!parts.empty()) {
    // Cross-check with the kernel's own resolver where it exists: it refuses magic links and
    // mount crossings that the walk above cannot see.
    const std::string parent = normal.substr(0, normal.rfind('/'));
    const int checked = openat2_beneath(root_fd, parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (checked < 0 && errno != ENOSYS && errno != EPERM) {
      return walk_error(errno, display);
    }
    if (checked >= 0) {
      UniqueFd guard(checked);
      struct stat a {};
      struct stat b {};
      if (::fstat(checked, &a) != 0 || ::fstat(current.get(), &b) != 0 || identity_of(a) != identity_of(b)) {
        return make_error(ErrorCode::conflict, "the directory changed while it was being opened", display);
      }
    }
  }
  struct stat dir_st {};
  if (::fstat(current.get(), &dir_st) != 0) {
    return make_error(ErrorCode::io, "cannot stat directory: " + errno_text(errno), display);
  }
  out.dir_identity = identity_of(dir_st);
  out.dir_owner = static_cast<std::uint32_t>(dir_st.st_uid);
  out.dir = std::move(current);
  return out;
}

Result<OpenedFile> open_regular_file_at(int dir_fd, const std::string& name, const std::string& display_path)
{
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP) {
      return make_error(ErrorCode::unsupported, "is a symbolic link that was not planned: refusing to follow it",
                        display_path);
    }
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot open: " + errno_text(err),
                      display_path);
  }
  OpenedFile out;
  out.fd = UniqueFd(fd);
  if (::fstat(fd, &out.st) != 0) {
    return make_error(ErrorCode::io, "cannot stat: " + errno_text(errno), display_path);
  }
  if (!S_ISREG(out.st.st_mode)) {
    return make_error(ErrorCode::unsupported, "is not a regular file (FIFO, device, socket or directory)", display_path);
  }
  // Reads of a regular file never block; clear the flag so a short read means end of file.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) {
    (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  return out;
}

} // namespace cfmigrate
