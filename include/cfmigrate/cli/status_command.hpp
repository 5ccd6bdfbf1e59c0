#pragma once
// `cfmigrate status`: every migration in the state dir and its state.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int status_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
