#pragma once
// A saved plan file made ready for render_plan(): each file is read again and its diff shown only
// while it is still what was planned; the masks come from detecting its credentials again.

#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/plan/plan_renderer.hpp>
#include <cfmigrate/util/result.hpp>

#include <map>
#include <string>
#include <vector>

namespace cfmigrate::plan {

struct SavedPlanView {
  Plan plan;
  std::map<std::string, std::string> contents;
  std::map<std::string, std::vector<Mask>> masks;
  std::map<std::string, std::string> missing_reason;

  // Points into this view: valid while it lives and is not moved.
  RenderInput render_input() const { return RenderInput{&plan, &contents, &masks, missing_reason}; }
};

// Reads `plan_file` and the files it plans (errors: the plan file only).
[[nodiscard]] Result<SavedPlanView> read_saved_plan_view(const std::string& plan_file);

} // namespace cfmigrate::plan
