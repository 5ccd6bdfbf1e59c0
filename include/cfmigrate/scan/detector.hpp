#pragma once
// The detector turns one file's content into findings: it extracts settings, classifies their
// values, attributes each credential to a recipe (program) and pairs it with its e-mail.

#include <cfmigrate/recipe/recipe.hpp>
#include <cfmigrate/scan/finding.hpp>
#include <cfmigrate/scan/prefilter.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::scan {

// Recipes prepared for matching (lower-cased names). Built once, shared read-only by all threads.
class RecipeIndex {
public:
  explicit RecipeIndex(const std::vector<recipe::Recipe>& recipes);

  const std::vector<recipe::Recipe>& recipes() const { return m_recipes; }
  // Index of the recipe with this id, or -1.
  int find(std::string_view id) const;

  struct Names {
    std::vector<std::string> key, email, token;  // lower-cased unless case-sensitive
  };
  const Names& names(std::size_t recipe) const { return m_names[recipe]; }

private:
  std::vector<recipe::Recipe> m_recipes;
  std::vector<Names> m_names;
};

struct DetectStats {
  std::size_t placeholders = 0;  // values recognised as documentation examples or fill-ins
};

// Findings of one file, in file order. `path` is the path as reported (on the scanned system).
std::vector<Finding> detect(const RecipeIndex& index, const std::string& path, std::string_view content,
                            DetectStats& stats);

} // namespace cfmigrate::scan
