#pragma once
// `cfmigrate finalize PLAN-ID`: delete the backups and check no Global key usage remains.

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int finalize_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
