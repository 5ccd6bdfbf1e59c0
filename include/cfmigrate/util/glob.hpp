#pragma once
// Path globs (recipe paths, scan excludes): `*` within one segment, `**` across segments, `?`
// one character.

#include <string_view>

namespace cfmigrate {

// True when `path` (absolute, '/'-separated) matches `pattern`. A pattern without a leading '/'
// is matched against any suffix of whole segments ("**/x" and "x" behave alike).
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace cfmigrate
