#pragma once
// Path patterns of the emulator's route table: "zones/{zone_id}/dns_records" matches a path
// segment by segment; a literal segment must be equal, a {name} segment matches any one segment
// and is captured under that name.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::emulator {

// The segments captured by {name} pattern segments.
using PathParams = std::map<std::string, std::string, std::less<>>;

// A path's url-decoded segments; repeated slashes produce no empty segments.
std::vector<std::string> split_path(std::string_view path);

enum class PatternExtent {
  whole_path,  // the pattern names every segment of the path
  path_prefix, // the pattern names the leading segments; more may follow
};

// Whether `segments` match `pattern`; on a match, the captured segments are added to `params`.
bool match_pattern(std::string_view pattern, std::span<const std::string> segments, PatternExtent extent,
                   PathParams& params);

// Whether every path `inner` matches also lies within `outer` (e.g. "user/tokens/{token_id}/value"
// within "user/tokens/{token_id}", but "user/tokens/verify" not: its literal is no token id).
bool pattern_within(std::string_view inner, std::string_view outer);

} // namespace cfmigrate::emulator
