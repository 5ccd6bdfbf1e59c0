#include <cfmigrate/plan/saved_plan_view.hpp>

#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/planner.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <fstream>
#include <optional>
#include <sstream>

namespace cfmigrate::plan {

Result<SavedPlanView> read_saved_plan_view(const std::string& plan_file)
{
  SavedPlanView view;
  CFM_TRY(view.plan, read_plan_file(plan_file));
  auto recipes = recipe::load_recipes("");
  std::optional<scan::RecipeIndex> index;
  if (recipes) {
    index.emplace(*recipes);
  }
  for (const auto& f : view.plan.files) {
    std::ifstream in(real_path(view.plan.root, f.path), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string content = buffer.str();
    if (!in || sha256_hex(content) != f.sha256) {
      view.missing_reason[f.path] = "the file changed since the plan was made";
      continue;
    }
    if (!index) {
      view.missing_reason[f.path] = "recipes could not be loaded to mask secrets";
      continue;
    }
    scan::DetectStats stats;
    for (const auto& finding : scan::detect(*index, f.path, content, stats)) {
      if (!finding.fingerprint.empty()) {
        view.masks[f.path].push_back(
          Mask{finding.setting.value_span,
               "<" + std::string(scan::to_string(finding.credential)) + " " + finding.fingerprint + ">"});
      }
    }
    view.contents[f.path] = std::move(content);
  }
  return view;
}

} // namespace cfmigrate::plan
