#pragma once
// Test helpers: a per-test temporary directory (removed when the test ends) and file helpers.
// Paths are passed explicitly; tests never chdir.

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <iterator>
#include <stdexcept>
#include <stdlib.h>

namespace cfmigrate::test {

class TempDir {
public:
  TempDir()
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "cfmigrate-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
  }
  ~TempDir()
  {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }

  // Writes `content` to path()/relative, creating directories; returns the full path.
  std::filesystem::path write(const std::string& relative, std::string_view content) const
  {
    std::filesystem::path full = m_path / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return full;
  }

private:
  std::filesystem::path m_path;
};

inline std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace cfmigrate::test
