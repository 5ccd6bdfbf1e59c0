#pragma once
// `cfmigrate scan`: find every Global API Key usage.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

// `args` are the arguments after "scan". Returns the exit code.
int scan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
