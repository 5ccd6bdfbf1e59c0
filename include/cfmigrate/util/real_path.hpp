#pragma once
// Where a path of the scanned system (as scan reports it) is on this machine, for plan and exec
// (scan's walker keeps its own, which also maps the root itself, "/", to `root`).

#include <string>

namespace cfmigrate {

// The real path of a reported path under `root` ("" or "/": the reported path itself).
std::string real_path(const std::string& root, const std::string& reported);

} // namespace cfmigrate
