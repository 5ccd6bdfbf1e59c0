#pragma once
// `cfmigrate plan`: dry run, writes a plan file.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
