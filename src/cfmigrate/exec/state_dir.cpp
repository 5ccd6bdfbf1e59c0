#include <cfmigrate/exec/state_dir.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::exec {

namespace {

std::string octal_mode(mode_t mode)
{
  std::string out = "0000";
  unsigned bits = static_cast<unsigned>(mode & 07777);
  for (std::size_t i = 4; i-- > 0;) {
    out[i] = static_cast<char>('0' + (bits & 7U));
    bits >>= 3U;
  }
  return out;
}

Status verify_existing(const std::string& path, const struct stat& st)
{
  if (S_ISLNK(st.st_mode)) {
    return make_error(ErrorCode::conflict,
                      "state directory is a symlink; refusing it (use the real path or remove the link)", path);
  }
  if (!S_ISDIR(st.st_mode)) {
    return make_error(ErrorCode::conflict, "state directory path exists and is not a directory", path);
  }
  if (st.st_uid != ::geteuid()) {
    return make_error(ErrorCode::conflict,
                      "state directory is owned by uid " + std::to_string(st.st_uid) + ", not by the current user (uid "
                        + std::to_string(::geteuid()) + "); refusing it (chown it or pick another --state-dir)",
                      path);
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return make_error(ErrorCode::conflict,
                      "state directory has mode " + octal_mode(st.st_mode)
                        + " and is writable by group or others; refusing it (chmod 0700 it after checking its content)",
                      path);
  }
  if ((st.st_mode & 07777) != 0700 && ::chmod(path.c_str(), 0700) != 0) {
    return make_error(ErrorCode::io, std::string("cannot tighten state directory to 0700: ") + std::strerror(errno),
                      path);
  }
  return {};
}

std::string normalized_path(const std::string& path)
{
  std::string normalized = path;
  while (normalized.size() > 1 && normalized.back() == '/') {
    normalized.pop_back();
  }
  return normalized;
}

} // namespace

Status ensure_private_directory(const std::string& path)
{
  if (path.empty()) {
    return make_error(ErrorCode::invalid_argument, "empty state directory path");
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return verify_existing(path, st);
  }
  if (errno != ENOENT) {
    return make_error(ErrorCode::io, std::string("cannot stat state directory: ") + std::strerror(errno), path);
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return make_error(ErrorCode::io, "cannot create parent of state directory: " + ec.message(), path);
    }
  }
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return make_error(ErrorCode::io, std::string("cannot create state directory: ") + std::strerror(errno), path);
  }
  // Created by us or, on EEXIST, by a racing process: verify either way (umask may also have
  // removed bits, and verify_existing sets exactly 0700).
  if (::lstat(path.c_str(), &st) != 0) {
    return make_error(ErrorCode::io, std::string("cannot stat state directory: ") + std::strerror(errno), path);
  }
  return verify_existing(path, st);
}

bool is_valid_migration_id(std::string_view id)
{
  if (id.empty() || id.size() > 128 || id == "." || id == "..") {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
           || c == '-';
  });
}

Result<StateDir> StateDir::open(const std::string& path)
{
  StateDir state = at(path);
  CFM_TRY_STATUS(ensure_private_directory(state.m_path));
  CFM_TRY_STATUS(ensure_private_directory(state.migrations_root()));
  return state;
}

StateDir StateDir::at(const std::string& path)
{
  return StateDir(normalized_path(path));
}

Result<MigrationPaths> StateDir::migration(std::string_view id) const
{
  if (!is_valid_migration_id(id)) {
    return make_error(ErrorCode::invalid_argument,
                      "invalid migration id (expected 1-128 characters of A-Z a-z 0-9 . _ -)");
  }
  std::string dir = migrations_root() + "/" + std::string(id);
  return MigrationPaths{dir, dir + "/plan.json", dir + "/journal.jsonl", dir + "/backups"};
}

Result<MigrationPaths> StateDir::create_migration(std::string_view id) const
{
  CFM_TRY(MigrationPaths paths, migration(id));
  CFM_TRY_STATUS(ensure_private_directory(paths.dir));
  return paths;
}

Result<std::vector<std::string>> StateDir::list_migrations() const
{
  const std::string root = migrations_root();
  DIR* dir = ::opendir(root.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) {
      return std::vector<std::string>{};
    }
    return make_error(ErrorCode::io, std::string("cannot open directory: ") + std::strerror(errno), root);
  }
  std::vector<std::pair<std::int64_t, std::string>> found;  // (journal ctime in ns, id)
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    struct stat st {};
    struct stat journal {};
    if (is_valid_migration_id(name) && ::fstatat(::dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0
        && S_ISDIR(st.st_mode) && ::fstatat(::dirfd(dir), (name + "/journal.jsonl").c_str(), &journal, 0) == 0) {
      found.emplace_back(static_cast<std::int64_t>(journal.st_ctim.tv_sec) * 1000000000LL + journal.st_ctim.tv_nsec,
                         name);
    }
    errno = 0;
  }
  const int err = errno;
  ::closedir(dir);
  if (err != 0) {
    return make_error(ErrorCode::io, std::string("cannot list directory: ") + std::strerror(err), root);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> ids;
  for (auto& entry : found) {
    ids.push_back(std::move(entry.second));
  }
  return ids;
}

} // namespace cfmigrate::exec
