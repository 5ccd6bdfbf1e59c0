#pragma once
// Strict loading of recipe.json documents and of whole recipe sets.

#include <cfmigrate/recipe/recipe.hpp>
#include <cfmigrate/util/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::recipe {

// Parses one recipe. `origin` names the document in errors ("migrations/x/recipe.json").
// `expected_id` (the directory name) must equal the recipe's id when not empty.
// Unknown fields, wrong types, missing required fields and bad enum values are errors that carry
// origin, line and column; the message never quotes values.
Result<Recipe> parse_recipe(std::string_view text, const std::string& origin, std::string_view expected_id);

// The embedded recipes, then every DIR/<id>/recipe.json of `override_dir` (when not empty), which
// replaces an embedded recipe of the same id. Sorted by id. Errors name the offending file.
Result<std::vector<Recipe>> load_recipes(const std::string& override_dir);

} // namespace cfmigrate::recipe
