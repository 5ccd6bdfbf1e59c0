#pragma once
// `cfmigrate plan` (dry run, writes a plan file) and `cfmigrate show PLAN` (renders a saved plan).

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int show_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
