#pragma once
// `cfmigrate plan`: dry run, writes a plan file.

#include <cfmigrate/cli/command_line.hpp>
#include <cfmigrate/plan/planner.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::cli {

// plan's command line, validated: --format human | json, --group-by, --allow-ip addresses or
// CIDRs, --expires a date in the future. Credentials are added from the environment later.
struct PlanCommandOptions {
  plan::PlanOptions plan;
  std::string format = "human";
  std::string recipes_dir;
  std::optional<std::string> out_file;
  std::string state_dir;  // holds the key the plan file is signed with
};

using PlanCommandLine = CommandLine<PlanCommandOptions>;
PlanCommandLine parse_plan_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                                        std::chrono::system_clock::time_point now);

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
