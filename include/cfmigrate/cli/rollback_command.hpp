#pragma once
// `cfmigrate rollback [PLAN-ID | --last]`: undo an apply from its journal.

#include <cfmigrate/cli/run.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int rollback_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                     const FaultInjectorFactory& faults);

} // namespace cfmigrate::cli
