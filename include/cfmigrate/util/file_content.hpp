#pragma once
// Reading a whole file into memory (configuration files, plans, recipes).

#include <cfmigrate/util/result.hpp>

#include <string>

namespace cfmigrate {

// The whole content of `path`; ErrorCode::io (naming the path, never the content) when it cannot be read.
[[nodiscard]] Result<std::string> read_file_content(const std::string& path);

} // namespace cfmigrate
