#pragma once
// Reads one file for scanning into a buffer the calling thread reuses, with a size cap and
// binary detection (a NUL byte in the first 64 KiB, as ripgrep does).

#include <cfmigrate/util/result.hpp>

#include <memory>
#include <string_view>

namespace cfmigrate::scan {

enum class ReadOutcome { text, binary, too_large };

class FileSource {
public:
  explicit FileSource(std::size_t size_cap) : m_size_cap(size_cap) {}

  // Opens `real_path` (not following a final symlink) and reads it. `expected_size` is the size the
  // walker saw, used only to size the buffer. On ReadOutcome::text, content() holds the bytes
  // until the next call. An unreadable file is an error value.
  Result<ReadOutcome> read(const char* real_path, std::size_t expected_size);

  std::string_view content() const { return {m_buffer.get(), m_size}; }

private:
  void reserve(std::size_t bytes);

  std::size_t m_size_cap;
  std::unique_ptr<char[]> m_buffer;
  std::size_t m_capacity = 0;
  std::size_t m_size = 0;
};

} // namespace cfmigrate::scan
