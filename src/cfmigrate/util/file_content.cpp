#include <cfmigrate/util/file_content.hpp>

#include <cfmigrate/util/errno_text.hpp>

#include <array>
#include <cerrno>
#include <cstdint>

#include <fcntl.h>
#include <unistd.h>

namespace cfmigrate {

Result<std::string> read_file_content(const std::string& path, FinalSymlink symlink)
{
  const int flags = O_RDONLY | O_CLOEXEC | (symlink == FinalSymlink::refuse ? O_NOFOLLOW : 0);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    const int err = errno;
    return make_error(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot open: " + errno_text(err), path);
  }
  auto content = read_fd_content(fd, path);
  ::close(fd);
  return content;
}

Result<std::string> read_fd_content(int fd, const std::string& path_for_errors, std::size_t limit)
{
  std::string content;
  std::array<char, 65536> buffer{};
  std::uint64_t offset = 0;
  bool seekable = true;
  for (;;) {
    const ssize_t n = seekable ? ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset))
                               : ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == ESPIPE && offset == 0 && seekable) {
        seekable = false; // a pipe or FIFO (`--from-scan /dev/stdin`): read it as it comes
        continue;
      }
      return make_error(ErrorCode::io, "cannot read: " + errno_text(errno), path_for_errors);
    }
    if (n == 0) {
      return content;
    }
    if (static_cast<std::size_t>(n) > limit - content.size()) {
      return make_error(ErrorCode::unsupported,
                        "is larger than " + std::to_string(limit / (1024 * 1024)) + " MiB: not a file cfmigrate rewrites",
                        path_for_errors);
    }
    content.append(buffer.data(), static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
}

} // namespace cfmigrate
