#pragma once
// Reads one file for scanning into a buffer the calling thread reuses, with a size cap and
// binary detection (a NUL byte in the first 64 KiB, as ripgrep does).

#include <cfmigrate/util/result.hpp>

#include <functional>
#include <memory>
#include <string_view>

namespace cfmigrate::scan {

enum class ReadOutcome { text, binary, too_large, special };

class FileSource {
public:
  explicit FileSource(std::size_t size_cap) : m_size_cap(size_cap) {}
  ~FileSource();
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // Opens `name` relative to the directory `dir_fd` (AT_FDCWD: a path), not following a final
  // symlink, and returns its size. The file stays open until read(), stream() or the next open().
  // Opening relative to the directory the walk holds open spares the kernel a lookup of every
  // component of the path, per file.
  Result<std::size_t> open(int dir_fd, const char* name);

  // Reads the open file whole. On ReadOutcome::text, content() holds the bytes until the next call.
  // ReadOutcome::special: it is no regular file (replaced since it was listed).
  Result<ReadOutcome> read();
  std::string_view content() const { return {m_buffer.get(), m_size}; }

  // Reads the open file in pieces of about `piece` bytes with the same buffer, each handed to
  // `visit` with the last `overlap` bytes of the one before in front of it, so a pattern up to
  // `overlap`+1 bytes long is never cut in two. Stops early when `visit` returns true
  // (`stopped()`); the file then stays open, and read() reads it whole from the start.
  // Binary and size-cap tests as read(); `streamed()` is the number of bytes read.
  Result<ReadOutcome> stream(std::size_t piece, std::size_t overlap, const std::function<bool(std::string_view)>& visit);
  bool stopped() const { return m_stopped; }
  std::size_t streamed() const { return m_streamed; }

  // Frees a buffer grown for a large file now rather than at the next read.
  void shrink();

private:
  struct Closing;  // closes the file when read() or stream() returns

  void reserve(std::size_t bytes);
  void close();
  // One read(2) into `into`, retried on EINTR; 0 at the end of the file.
  Result<std::size_t> read_some(char* into, std::size_t room);

  std::size_t m_size_cap;
  int m_fd = -1;
  bool m_regular = false;
  std::size_t m_file_size = 0;  // as fstat() saw it at open()
  std::unique_ptr<char[]> m_buffer;
  std::size_t m_capacity = 0;
  std::size_t m_size = 0;
  bool m_stopped = false;
  std::size_t m_streamed = 0;
};

} // namespace cfmigrate::scan
