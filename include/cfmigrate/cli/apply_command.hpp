#pragma once
// `cfmigrate apply PLAN-FILE`: create the plan's tokens and rewrite its files (journalled).

#include <cfmigrate/cli/run.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace cfmigrate::cli {

int apply_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                  const FaultInjectorFactory& faults);

} // namespace cfmigrate::cli
