#pragma once
// apply and rollback: create and verify tokens, rewrite files atomically with backups, journal
// every step before it happens, undo from the journal. See docs/apply.md.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/exec/exec_options.hpp>
#include <cfmigrate/exec/fault_injection.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/recipe/recipe_index.hpp>

#include <string>
#include <vector>

namespace cfmigrate::exec {

enum class Outcome {
  done,          // applied / rolled back
  nothing,       // nothing to do (already applied, already rolled back)
  failed,        // failed; rolled back unless no_rollback
  stale,         // a file differs from the plan: nothing changed
  locked,        // another apply or rollback holds the state lock
  incompatible,  // plan for another host, or from an incompatible version
  conflicts,     // rollback left files that changed since apply
  damaged,       // rollback: the journal does not account for everything; see not_undone
};

struct ExecReport {
  Outcome outcome = Outcome::done;
  std::string message;
  std::vector<std::string> reload;        // what to reload (from the plan)
  std::vector<std::string> conflicts;     // rollback: files left alone
  std::vector<std::string> conflict_diffs;// rollback: masked diffs of those files (content conflicts)
  std::vector<std::string> identity_conflicts; // rollback: "<path>: <why>" for files never touched
  std::vector<std::string> not_undone;    // rollback of a damaged journal: what it could not undo
  unsigned files_written = 0;
  unsigned files_restored = 0;
  unsigned tokens_created = 0;
  unsigned tokens_deleted = 0;
};

// Applies `plan`. Failures the outside world causes are reported in ExecReport (with the journal
// recording them); Result errors are for unusable inputs (state dir, plan).
[[nodiscard]] Result<ExecReport> apply_plan(const recipe::RecipeIndex& index, const plan::Plan& plan, const ExecOptions& options,
                                            FaultInjector& faults);

// Rolls back the migration `plan_id` ("" = the most recent one) from its journal: files first
// (only those still as apply wrote them, unless force), then the tokens it created.
[[nodiscard]] Result<ExecReport> rollback_migration(const recipe::RecipeIndex& index, const std::string& plan_id,
                                                    const ExecOptions& options, FaultInjector& faults);

} // namespace cfmigrate::exec
