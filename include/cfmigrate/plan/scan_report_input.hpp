#pragma once
// `plan --from-scan FILE`: which files an earlier `cfmigrate scan --format json` named.

#include <cfmigrate/util/result.hpp>

#include <set>
#include <string>

namespace cfmigrate::plan {

// The paths a `cfmigrate scan --json` report names. A malformed report is an error naming the
// field, never an exception.
[[nodiscard]] Result<std::set<std::string>> paths_in_scan_report(const std::string& report_path);

} // namespace cfmigrate::plan
