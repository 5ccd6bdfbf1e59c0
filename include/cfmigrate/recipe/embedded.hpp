#pragma once
// The recipes compiled into the binary from migrations/*/recipe.json (generated at build time).

#include <string_view>
#include <vector>

namespace cfmigrate::recipe {

struct EmbeddedRecipe {
  std::string_view name;     // "migrations/<id>/recipe.json", for error messages
  std::string_view content;  // the file's bytes
};

// Sorted by name. Empty when the tree has no recipes.
const std::vector<EmbeddedRecipe>& embedded_recipes();

} // namespace cfmigrate::recipe
