#pragma once
// Builds the byte-range changes that turn one Global-key configuration into the token
// configuration its program expects, following the recipe's migrate rules: the key setting is
// renamed or refilled, the e-mail removed where it would switch the program back to key mode,
// extra settings (account id, zone id, literals) set or added, header-based scripts switched to
// "Authorization: Bearer", commented-out keys deleted. Every other byte is kept: quoting,
// indentation, comments, line endings, BOM and the trailing newline.

#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/recipe/recipe.hpp>
#include <cfmigrate/scan/finding.hpp>
#include <cfmigrate/util/result.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::plan {

struct EditRequest {
  const scan::Finding* finding = nullptr;  // a global_key finding (active or commented)
  const recipe::Recipe* recipe = nullptr;
  std::string token_key;                   // the planned token whose value goes in
  std::string account_id;
  std::vector<std::string> zone_ids;
};

struct EditOutcome {
  std::vector<Change> changes;
  std::vector<std::string> problems;  // why part of it cannot be done automatically
};

// `content` is the whole file; `settings` what scan::extract_settings found in it.
EditOutcome build_edits(std::string_view content, const std::vector<scan::Setting>& settings, const EditRequest& request);

// Sorts changes, drops exact duplicates; overlapping changes are a conflict error.
[[nodiscard]] Result<std::vector<Change>> merge_changes(std::vector<Change> changes);

// Applies changes to `content`, rendering token parts with `render_token(key, base64)`.
std::string apply_changes(std::string_view content, const std::vector<Change>& changes,
                          const std::function<std::string(const std::string&, bool)>& render_token);

} // namespace cfmigrate::plan
