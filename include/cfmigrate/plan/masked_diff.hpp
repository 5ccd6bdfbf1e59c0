#pragma once
// Unified diffs with every secret masked: old credential values show as their fingerprint,
// new tokens as a placeholder naming the planned token.

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/scan/finding.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::scan {
class RecipeIndex;
}

namespace cfmigrate::plan {

struct Mask {
  scan::Span span;    // bytes of a credential in the original content
  std::string label;  // what to show instead ("<global key sha256:…>")
};

// The mask that shows a finding's credential as "<kind fingerprint>"; nullopt for a reference
// (its value names where the secret is, it is not one).
std::optional<Mask> credential_mask(const scan::Finding& finding);

// A mask for every credential the scanner recognises in `content`.
std::vector<Mask> credential_masks(const recipe::RecipeIndex& index, const std::string& path, std::string_view content);

// `content` with each masked span replaced by its label (masks out of range or overlapping an
// earlier one are skipped).
std::string mask_text(std::string_view content, std::vector<Mask> masks);

// `content` is the original file; `changes` its planned changes; `masks` the credential spans to
// hide on the old side (and wherever unchanged text would show them). `context` lines around
// each hunk. Empty when nothing changes.
std::string masked_unified_diff(const std::string& path, std::string_view content, const std::vector<Change>& changes,
                                const std::vector<Mask>& masks, int context = 3);

} // namespace cfmigrate::plan
