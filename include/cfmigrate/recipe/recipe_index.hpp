#pragma once
// The recipes prepared for matching: what scan, plan and exec look recipes up in.

#include <cfmigrate/recipe/recipe.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::recipe {

// Recipes prepared for matching (lower-cased names). Built once, shared read-only by all threads.
class RecipeIndex {
public:
  explicit RecipeIndex(const std::vector<Recipe>& recipes);

  const std::vector<Recipe>& recipes() const { return m_recipes; }
  // Index of the recipe with this id, or -1.
  int find(std::string_view id) const;

  struct Names {
    std::vector<std::string> key, email, token;  // lower-cased unless case-sensitive
  };
  const Names& names(std::size_t recipe) const { return m_names[recipe]; }

private:
  std::vector<Recipe> m_recipes;
  std::vector<Names> m_names;
};

} // namespace cfmigrate::recipe
