#include <cfmigrate/util/checked_output.hpp>

#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/errno_text.hpp>

#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate {

namespace {

Error write_error(std::string_view name, int err)
{
  return Error(ErrorCode::io, "writing " + std::string(name) + ": " + errno_text(err));
}

// Devices and pipes cannot be replaced by a rename (and must not be: /dev/full is not ours).
Status write_in_place(const std::string& path, std::string_view content)
{
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return write_error(path, errno);
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      (void)::close(fd);
      return write_error(path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && errno != EINTR) {
    return write_error(path, errno);
  }
  return {};
}

} // namespace

Status write_output_file(const std::string& path, std::string_view content)
{
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return write_in_place(path, content);
  }
  AtomicWriteOptions options;
  options.missing = MissingTarget::create;
  options.hard_links = HardLinks::break_link;
  if (auto written = replace_file_atomically(path, content, options); !written) {
    return Error(written.error().code(), "writing " + path + ": " + written.error().message());
  }
  return {};
}

Status write_output_stream(std::ostream& out, std::string_view content, std::string_view name)
{
  errno = 0;
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) {
    const int err = errno;
    return err != 0 ? write_error(name, err) : Error(ErrorCode::io, "writing " + std::string(name) + ": write error");
  }
  return {};
}

void report_broken_pipes()
{
  (void)::signal(SIGPIPE, SIG_IGN);
}

} // namespace cfmigrate
