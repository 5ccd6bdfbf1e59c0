#include <cfmigrate/util/file_attributes.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/xattr.h>

namespace cfmigrate {

namespace {

std::string errno_text(int err)
{
  return std::strerror(err);
}

// Calls list (size query then fill) until the buffer is big enough.
template<typename Fn>
Result<std::string> read_sized(Fn&& fn, const std::string& path, const char* what)
{
  for (int attempt = 0; attempt < 8; ++attempt) {
    const ssize_t needed = fn(nullptr, 0);
    if (needed < 0) {
      return make_error(ErrorCode::io, std::string(what) + ": " + errno_text(errno), path);
    }
    std::string buffer(static_cast<std::size_t>(needed), '\0');
    if (needed == 0) {
      return buffer;
    }
    const ssize_t got = fn(buffer.data(), buffer.size());
    if (got >= 0) {
      buffer.resize(static_cast<std::size_t>(got));
      return buffer;
    }
    if (errno != ERANGE) {
      return make_error(ErrorCode::io, std::string(what) + ": " + errno_text(errno), path);
    }
  }
  return make_error(ErrorCode::io, std::string(what) + ": keeps changing size", path);
}

template<typename ListFn, typename GetFn>
Result<std::vector<Xattr>> read_xattrs(ListFn&& list, GetFn&& get, const std::string& path)
{
  std::vector<Xattr> out;
  const ssize_t probe = list(nullptr, 0);
  if (probe < 0 && is_xattr_unsupported(errno)) {
    return out;
  }
  CFM_TRY(std::string names, read_sized(list, path, "cannot list extended attributes"));
  std::size_t pos = 0;
  while (pos < names.size()) {
    const std::size_t end = names.find('\0', pos);
    const std::string name = names.substr(pos, (end == std::string::npos ? names.size() : end) - pos);
    pos = end == std::string::npos ? names.size() : end + 1;
    if (name.empty()) {
      continue;
    }
    auto value = read_sized([&](char* buf, std::size_t size) { return get(name.c_str(), buf, size); },
                            path, "cannot read extended attribute");
    if (!value) {
      if (errno == ENODATA) {
        continue; // removed between list and get
      }
      return value.error();
    }
    out.push_back(Xattr{name, std::move(*value)});
  }
  std::sort(out.begin(), out.end(), [](const Xattr& a, const Xattr& b) { return a.name < b.name; });
  return out;
}

FileAttributes attributes_from_stat(const struct stat& st)
{
  FileAttributes a;
  a.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
  a.uid = static_cast<std::uint32_t>(st.st_uid);
  a.gid = static_cast<std::uint32_t>(st.st_gid);
  return a;
}

} // namespace

bool is_xattr_unsupported(int err)
{
  return err == ENOTSUP || err == EOPNOTSUPP;
}

Result<FileAttributes> read_file_attributes(const std::string& path)
{
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    const int err = errno;
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                      "cannot stat: " + errno_text(err), path);
  }
  FileAttributes a = attributes_from_stat(st);
  CFM_TRY(a.xattrs,
          read_xattrs([&](char* buf, std::size_t size) { return ::llistxattr(path.c_str(), buf, size); },
                      [&](const char* name, char* buf, std::size_t size) {
                        return ::lgetxattr(path.c_str(), name, buf, size);
                      },
                      path));
  return a;
}

Result<FileAttributes> read_file_attributes(int fd, const std::string& path_for_errors)
{
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return make_error(ErrorCode::io, "cannot stat: " + errno_text(errno), path_for_errors);
  }
  FileAttributes a = attributes_from_stat(st);
  CFM_TRY(a.xattrs, read_xattrs([&](char* buf, std::size_t size) { return ::flistxattr(fd, buf, size); },
                                [&](const char* name, char* buf, std::size_t size) {
                                  return ::fgetxattr(fd, name, buf, size);
                                },
                                path_for_errors));
  return a;
}

} // namespace cfmigrate
