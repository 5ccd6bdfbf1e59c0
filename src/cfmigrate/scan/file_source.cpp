#include <cfmigrate/scan/file_source.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::scan {

namespace {

constexpr std::size_t k_binary_probe = 64 * 1024;
constexpr std::size_t k_keep_capacity = 4 * 1024 * 1024;  // larger buffers are freed after use

struct Fd {
  explicit Fd(int f) : fd(f) {}
  ~Fd()
  {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int fd;
};

} // namespace

void FileSource::reserve(std::size_t bytes)
{
  if (bytes <= m_capacity) {
    return;
  }
  std::size_t capacity = m_capacity == 0 ? 64 * 1024 : m_capacity;
  while (capacity < bytes) {
    capacity *= 2;
  }
  // Uninitialised on purpose: zero-filling a buffer per file costs more than reading it.
  m_buffer.reset(new char[capacity]);
  m_capacity = capacity;
}

Result<ReadOutcome> FileSource::read(const char* real_path, std::size_t expected_size)
{
  m_size = 0;
  if (expected_size > m_size_cap) {
    return ReadOutcome::too_large;
  }
  Fd file(::open(real_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK));
  if (file.fd < 0) {
    return make_error(ErrorCode::io, std::string("cannot open: ") + std::strerror(errno));
  }
  if (m_capacity > k_keep_capacity && expected_size + 1 <= k_keep_capacity) {
    m_buffer.reset();  // give a large file's buffer back after it
    m_capacity = 0;
  }
  reserve(expected_size + 1);
  // The binary test looks at the first 64 KiB only: decide as soon as they are read, so the rest of
  // a binary (most of the bytes of executables, images, archives) is never read.
  bool probed = false;
  for (;;) {
    if (m_size == m_capacity) {
      if (m_size >= m_size_cap) {
        return ReadOutcome::too_large;  // the file grew past the cap since it was listed
      }
      std::unique_ptr<char[]> old = std::move(m_buffer);
      std::size_t old_size = m_size;
      m_capacity = 0;
      reserve(old_size * 2);
      std::memcpy(m_buffer.get(), old.get(), old_size);
    }
    ssize_t n = ::read(file.fd, m_buffer.get() + m_size, m_capacity - m_size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return make_error(ErrorCode::io, std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) {
      break;
    }
    m_size += static_cast<std::size_t>(n);
    if (m_size > m_size_cap) {
      return ReadOutcome::too_large;
    }
    if (!probed && m_size >= k_binary_probe) {
      probed = true;
      if (std::memchr(m_buffer.get(), 0, k_binary_probe) != nullptr) {
        m_size = 0;
        return ReadOutcome::binary;
      }
    }
  }
  if (!probed && std::memchr(m_buffer.get(), 0, m_size) != nullptr) {
    return ReadOutcome::binary;
  }
  return ReadOutcome::text;
}

} // namespace cfmigrate::scan
