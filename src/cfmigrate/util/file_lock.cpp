#include <cfmigrate/util/file_lock.hpp>

#include <cfmigrate/util/errno_text.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate {

namespace {

// The pid the holder wrote, or "" when the file holds nothing that looks like one.
std::string read_holder_pid(int fd)
{
  std::array<char, 32> buf{};
  const ssize_t n = ::pread(fd, buf.data(), buf.size() - 1, 0);
  if (n <= 0) {
    return {};
  }
  std::string pid;
  for (ssize_t i = 0; i < n; ++i) {
    const char c = buf[static_cast<std::size_t>(i)];
    if (c >= '0' && c <= '9') {
      pid.push_back(c);
    } else {
      break;
    }
  }
  return pid;
}

} // namespace

Result<FileLock> FileLock::acquire(const std::string& path)
{
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    const int err = errno;
    return make_error(ErrorCode::io, "cannot open lock file: " + errno_text(err), path);
  }
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      break;
    }
    const int err = errno;
    if (err == EINTR) {
      continue;
    }
    if (err == EWOULDBLOCK) {
      const std::string pid = read_holder_pid(fd);
      ::close(fd);
      return make_error(ErrorCode::locked,
                        pid.empty() ? std::string("another cfmigrate process holds the lock")
                                    : "another cfmigrate process (pid " + pid + ") holds the lock",
                        path);
    }
    ::close(fd);
    return make_error(ErrorCode::io, "cannot lock: " + errno_text(err), path);
  }
  // Ours now: record our pid for the next process that is refused. Failing to do so is harmless.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  ::fchmod(fd, 0600);
  return FileLock(path, fd);
}

FileLock::FileLock(FileLock&& other) noexcept
  : m_path(std::move(other.m_path)), m_fd(std::exchange(other.m_fd, -1))
{
}

FileLock& FileLock::operator=(FileLock&& other) noexcept
{
  if (this != &other) {
    release();
    m_path = std::move(other.m_path);
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

FileLock::~FileLock()
{
  release();
}

void FileLock::release() noexcept
{
  if (m_fd >= 0) {
    // Clear the pid so nobody reads a stale holder; then closing the fd drops the flock.
    [[maybe_unused]] const int rc = ::ftruncate(m_fd, 0);
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
  }
}

} // namespace cfmigrate
