#pragma once
// Small text helpers shared by the modules.

#include <string>
#include <string_view>

namespace cfmigrate {

// ASCII lower case of one byte; other bytes unchanged (what std::tolower does in the "C" locale the
// program runs in, without a libc call: the scanner calls it for every byte it compares).
constexpr char ascii_lower(char c)
{
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

// ASCII lower-case copy (names, signals and headers are ASCII; other bytes are kept).
std::string to_lower(std::string_view text);

} // namespace cfmigrate
