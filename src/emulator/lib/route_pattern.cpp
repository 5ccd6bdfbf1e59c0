#include <cfmigrate/emulator/route_pattern.hpp>

#include <cfmigrate/emulator/service.hpp>

namespace cfmigrate::emulator {

namespace {

std::vector<std::string_view> pattern_segments(std::string_view pattern)
{
  std::vector<std::string_view> out;
  while (!pattern.empty()) {
    const std::size_t slash = pattern.find('/');
    out.push_back(pattern.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    pattern.remove_prefix(slash + 1);
  }
  return out;
}

bool is_capture(std::string_view segment)
{
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

} // namespace

std::vector<std::string> split_path(std::string_view path)
{
  std::vector<std::string> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const std::size_t slash = path.find('/');
    out.push_back(url_decode(path.substr(0, slash)));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash);
  }
  return out;
}

bool match_pattern(std::string_view pattern, std::span<const std::string> segments, PatternExtent extent,
                   PathParams& params)
{
  const std::vector<std::string_view> wanted = pattern_segments(pattern);
  const bool length_fits = extent == PatternExtent::whole_path ? segments.size() == wanted.size()
                                                               : segments.size() >= wanted.size();
  if (!length_fits) {
    return false;
  }
  PathParams captured;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (is_capture(wanted[i])) {
      captured.emplace(std::string(wanted[i].substr(1, wanted[i].size() - 2)), segments[i]);
    } else if (wanted[i] != segments[i]) {
      return false;
    }
  }
  params.merge(captured);
  return true;
}

bool pattern_within(std::string_view inner, std::string_view outer)
{
  return inner.substr(0, outer.size()) == outer && (inner.size() == outer.size() || inner[outer.size()] == '/');
}

} // namespace cfmigrate::emulator
