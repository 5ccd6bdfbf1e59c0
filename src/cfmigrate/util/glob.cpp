#include <cfmigrate/util/glob.hpp>

namespace cfmigrate {

namespace {

// Recursive matcher; paths and patterns are short, so backtracking cost does not matter.
// `**` may cross '/', `*` and `?` may not; "**/" also matches zero directories.
bool match_from(std::string_view p, std::string_view s)
{
  if (p.empty()) {
    return s.empty();
  }
  if (p.starts_with("**")) {
    std::string_view rest = p.substr(2);
    if (rest.starts_with("/") && match_from(rest.substr(1), s)) {
      return true;
    }
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (match_from(rest, s.substr(i))) {
        return true;
      }
    }
    return false;
  }
  if (p.front() == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (match_from(p.substr(1), s.substr(i))) {
        return true;
      }
      if (i < s.size() && s[i] == '/') {
        break;
      }
    }
    return false;
  }
  if (s.empty()) {
    return false;
  }
  if ((p.front() == '?' && s.front() != '/') || p.front() == s.front()) {
    return match_from(p.substr(1), s.substr(1));
  }
  return false;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path)
{
  if (pattern.empty()) {
    return false;
  }
  if (pattern.front() == '/') {
    return match_from(pattern, path);
  }
  // Relative pattern: try at every segment start.
  for (std::size_t i = 0; i < path.size(); ++i) {
    if ((i == 0 || path[i - 1] == '/') && match_from(pattern, path.substr(i))) {
      return true;
    }
  }
  return false;
}

} // namespace cfmigrate
