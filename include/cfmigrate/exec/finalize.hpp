#pragma once
// `cfmigrate finalize`: once the migrated programs work, delete the migration's backups (they
// hold the Global key), journal that, and re-scan the host for any remaining usage of the plan's
// Global keys - the condition for rolling the key in the dashboard.

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/scan/scanner.hpp>
#include <cfmigrate/util/result.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace cfmigrate::exec {

struct FinalizeOptions {
  std::string state_dir;
  std::string plan_id;
  std::string root;  // empty: the plan's
};

struct FinalizeReport {
  std::size_t backups_removed = 0;
  // "<path>:<line>  <program>  <fingerprint>" of every remaining usage, sorted, never a key.
  std::vector<std::string> remaining;
};

// Takes the state lock (ErrorCode::locked when held), refuses a migration that is not applied
// (or already finalized), deletes the backups, journals {"type":"finalized"} (a failed journal
// write is an error), then scans the plan's files and the usual places. An invalid plan id is
// ErrorCode::invalid_argument.
[[nodiscard]] Result<FinalizeReport> finalize_migration(const recipe::RecipeIndex& index, const FinalizeOptions& options);

} // namespace cfmigrate::exec
