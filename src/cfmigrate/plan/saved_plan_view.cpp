#include <cfmigrate/plan/saved_plan_view.hpp>

#include <cfmigrate/plan/masked_diff.hpp>
#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/util/file_content.hpp>
#include <cfmigrate/util/real_path.hpp>

#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <optional>

namespace cfmigrate::plan {

Result<SavedPlanView> read_saved_plan_view(const std::string& plan_file)
{
  SavedPlanView view;
  CFM_TRY(view.plan, read_plan_file(plan_file));
  auto recipes = recipe::load_recipes("");
  std::optional<recipe::RecipeIndex> index;
  if (recipes) {
    index.emplace(*recipes);
  }
  for (const auto& f : view.plan.files) {
    auto content = read_file_content(cfmigrate::real_path(view.plan.root, f.path));
    if (!content || sha256_hex(*content) != f.sha256) {
      view.missing_reason[f.path] = "the file changed since the plan was made";
      continue;
    }
    if (!index) {
      view.missing_reason[f.path] = "recipes could not be loaded to mask secrets";
      continue;
    }
    view.masks[f.path] = credential_masks(*index, f.path, *content);
    view.contents[f.path] = std::move(*content);
  }
  return view;
}

} // namespace cfmigrate::plan
