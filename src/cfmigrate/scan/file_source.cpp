#include <cfmigrate/scan/file_source.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::scan {

namespace {

constexpr std::size_t k_binary_probe = 64 * 1024;
constexpr std::size_t k_keep_capacity = 4 * 1024 * 1024;  // larger buffers are freed after use

} // namespace

struct FileSource::Closing {
  FileSource& source;
  bool keep_open = false;
  ~Closing()
  {
    if (!keep_open) {
      source.close();
    }
  }
};

FileSource::~FileSource()
{
  close();
}

void FileSource::close()
{
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
}

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

void FileSource::shrink()
{
  if (m_capacity > k_keep_capacity) {
    m_buffer.reset();
    m_capacity = 0;
    m_size = 0;
  }
}

Result<std::size_t> FileSource::open(int dir_fd, const char* name)
{
  close();
  m_size = 0;
  m_fd = ::openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
  if (m_fd < 0) {
    return make_error(ErrorCode::io, std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat st{};
  if (::fstat(m_fd, &st) != 0) {
    int error = errno;
    close();
    return make_error(ErrorCode::io, std::string("cannot stat: ") + std::strerror(error));
  }
  m_regular = S_ISREG(st.st_mode);
  m_file_size = static_cast<std::size_t>(st.st_size);
  return m_file_size;
}

Result<std::size_t> FileSource::read_some(char* into, std::size_t room)
{
  for (;;) {
    ssize_t n = ::read(m_fd, into, room);
    if (n >= 0) {
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) {
      return make_error(ErrorCode::io, std::string("cannot read: ") + std::strerror(errno));
    }
  }
}

Result<ReadOutcome> FileSource::read()
{
  Closing closing{*this};
  m_size = 0;
  if (!m_regular) {
    return ReadOutcome::special;
  }
  if (m_file_size > m_size_cap) {
    return ReadOutcome::too_large;
  }
  if (::lseek(m_fd, 0, SEEK_SET) != 0) {  // after a stream() that stopped early
    return make_error(ErrorCode::io, std::string("cannot seek: ") + std::strerror(errno));
  }
  if (m_file_size + 1 <= k_keep_capacity) {
    shrink();  // give a large file's buffer back after it
  }
  reserve(m_file_size + 1);
  // The binary test looks at the first 64 KiB only: decide as soon as they are read, so the rest of
  // a binary (most of the bytes of executables, images, archives) is never read.
  bool probed = false;
  for (;;) {
    if (m_size == m_capacity) {
      if (m_size >= m_size_cap) {
        return ReadOutcome::too_large;  // the file grew past the cap since it was opened
      }
      std::unique_ptr<char[]> old = std::move(m_buffer);
      std::size_t old_size = m_size;
      m_capacity = 0;
      reserve(old_size * 2);
      std::memcpy(m_buffer.get(), old.get(), old_size);
    }
    CFM_TRY(std::size_t n, read_some(m_buffer.get() + m_size, m_capacity - m_size));
    if (n == 0) {
      break;
    }
    m_size += n;
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

Result<ReadOutcome> FileSource::stream(std::size_t piece, std::size_t overlap,
                                       const std::function<bool(std::string_view)>& visit)
{
  Closing closing{*this};
  m_size = 0;
  m_stopped = false;
  m_streamed = 0;
  if (!m_regular) {
    return ReadOutcome::special;
  }
  if (m_file_size > m_size_cap) {
    return ReadOutcome::too_large;
  }
  piece = std::max(piece, k_binary_probe);
  shrink();
  reserve(overlap + piece);
  std::size_t kept = 0;  // bytes of the previous piece at the front of the buffer
  bool first = true;
  for (;;) {
    std::size_t filled = kept;
    bool end = false;
    while (filled < kept + piece) {
      CFM_TRY(std::size_t n, read_some(m_buffer.get() + filled, kept + piece - filled));
      if (n == 0) {
        end = true;
        break;
      }
      filled += n;
      m_streamed += n;
    }
    if (m_streamed > m_size_cap) {
      return ReadOutcome::too_large;
    }
    if (first && std::memchr(m_buffer.get(), 0, std::min(filled, k_binary_probe)) != nullptr) {
      return ReadOutcome::binary;
    }
    first = false;
    if (filled > kept && visit(std::string_view(m_buffer.get(), filled))) {
      m_stopped = true;
      closing.keep_open = true;  // read() may now take the whole file from the same descriptor
      return ReadOutcome::text;
    }
    if (end) {
      return ReadOutcome::text;
    }
    kept = std::min(overlap, filled);
    std::memmove(m_buffer.get(), m_buffer.get() + filled - kept, kept);
  }
}

} // namespace cfmigrate::scan
