#pragma once
// `cfmigrate recipes`: list the recipes (embedded and --recipes DIR) after validating them.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int recipes_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
