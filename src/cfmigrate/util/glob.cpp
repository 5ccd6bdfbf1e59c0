#include <cfmigrate/util/glob.hpp>

#include <cstddef>
#include <vector>

namespace cfmigrate {

namespace {

// The matcher is an NFA simulation: a state is a position in the pattern, and each path byte
// advances the whole set of live states at once. That costs O(pattern * path) whatever the
// pattern, where a backtracking matcher takes minutes on "*a*a*a*a*b" against a long path (both
// excludes and recipe globs come from users). `**` may cross '/', `*` and `?` may not; "**/"
// also matches zero directories.
class GlobNfa {
public:
  explicit GlobNfa(std::string_view pattern) : p_(pattern), live_(pattern.size() + 1, 0) {}

  // Adds state `i` and every state reachable from it without consuming a byte.
  void enter(std::size_t i)
  {
    while (i <= p_.size() && live_[i] == 0) {
      live_[i] = 1;
      if (p_.substr(i).starts_with("**")) {
        if (i + 2 < p_.size() && p_[i + 2] == '/') {
          enter(i + 3); // "**/" matching zero directories
        }
        i += 2;
      } else if (i < p_.size() && p_[i] == '*') {
        i += 1;
      } else {
        return;
      }
    }
  }

  void step(char c)
  {
    std::vector<char> before(p_.size() + 1, 0);
    before.swap(live_);
    for (std::size_t i = 0; i < p_.size(); ++i) {
      if (before[i] == 0) {
        continue;
      }
      if (p_.substr(i).starts_with("**") || (p_[i] == '*' && c != '/')) {
        enter(i);
      } else if ((p_[i] == '?' && c != '/') || (p_[i] != '*' && p_[i] != '?' && p_[i] == c)) {
        enter(i + 1);
      }
    }
  }

  bool accepts() const { return live_[p_.size()] != 0; }

private:
  std::string_view p_;
  std::vector<char> live_;
};

} // namespace

bool glob_match(std::string_view pattern, std::string_view path)
{
  if (pattern.empty()) {
    return false;
  }
  const bool relative = pattern.front() != '/';
  GlobNfa nfa(pattern);
  if (!relative) {
    nfa.enter(0);
  }
  for (std::size_t i = 0; i < path.size(); ++i) {
    // A relative pattern may start at every segment start.
    if (relative && (i == 0 || path[i - 1] == '/')) {
      nfa.enter(0);
    }
    nfa.step(path[i]);
  }
  return nfa.accepts();
}

} // namespace cfmigrate
