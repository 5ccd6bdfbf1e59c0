#pragma once
// `cfmigrate apply`, `rollback`, `status` and `finalize`.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int apply_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int rollback_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int status_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int finalize_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
