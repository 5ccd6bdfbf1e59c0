#pragma once
// `cfmigrate show PLAN-FILE`: render a saved plan.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int show_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
