#pragma once
// The human dry-run view of a plan: tokens (permissions in dashboard notation, zones by name),
// masked unified diffs per file, manual items, warnings, and what to reload.

#include <cfmigrate/plan/masked_diff.hpp>
#include <cfmigrate/plan/plan.hpp>

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace cfmigrate::plan {

struct RenderInput {
  const Plan* plan = nullptr;
  // Per path: the file's content as planned and the credential spans to mask. A path missing
  // here is shown without a diff (with `missing_reason`).
  const std::map<std::string, std::string>* contents = nullptr;
  const std::map<std::string, std::vector<Mask>>* masks = nullptr;
  std::map<std::string, std::string> missing_reason;
};

void render_plan(std::ostream& out, const RenderInput& input);

} // namespace cfmigrate::plan
