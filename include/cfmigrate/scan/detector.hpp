#pragma once
// The detector turns one file's content into findings: it extracts settings, classifies their
// values, attributes each credential to a recipe (program) and pairs it with its e-mail.

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/scan/finding.hpp>
#include <cfmigrate/scan/prefilter.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::scan {

struct DetectStats {
  std::size_t placeholders = 0;  // values recognised as documentation examples or fill-ins
};

// Findings of one file, in file order. `path` is the path as reported (on the scanned system).
std::vector<Finding> detect(const recipe::RecipeIndex& index, const std::string& path, std::string_view content,
                            DetectStats& stats);

} // namespace cfmigrate::scan
