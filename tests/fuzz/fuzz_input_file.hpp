#pragma once
// The readers under fuzz take a path (they are the functions apply, rollback and `plan
// --from-scan` call), so each input is written to one file in a temporary directory of this
// process first. Files only: no reader internals are called, so the fuzz targets do not change
// when the readers' insides do.

#include "../support/temp_dir.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cfmigrate::fuzz {

// Rewrites the input file with `data` and returns its path.
inline const std::string& input_file(const std::uint8_t* data, std::size_t size)
{
  static const test::TempDir dir;
  static const std::string path = (dir.path() / "input").string();
  dir.write("input", std::string_view(reinterpret_cast<const char*>(data), size));
  return path;
}

} // namespace cfmigrate::fuzz
