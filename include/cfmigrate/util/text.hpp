#pragma once
// Small text helpers shared by the modules.

#include <string>
#include <string_view>

namespace cfmigrate {

// ASCII lower-case copy (names, signals and headers are ASCII; other bytes are kept).
std::string to_lower(std::string_view text);

} // namespace cfmigrate
