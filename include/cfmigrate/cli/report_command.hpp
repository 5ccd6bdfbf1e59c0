#pragma once
// `cfmigrate report FILE... [--format human|json]`: merges per-host scan, plan and status JSON into
// one fleet view, and answers "can the Global key be rolled now?" (docs/fleet.md).

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
