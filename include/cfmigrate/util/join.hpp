#pragma once
// "a, b, c" from a set of names (messages and reports).

#include <set>
#include <string>

namespace cfmigrate {

inline std::string join(const std::set<std::string>& items, const char* separator = ", ")
{
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

} // namespace cfmigrate
