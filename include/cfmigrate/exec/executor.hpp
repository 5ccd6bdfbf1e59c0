#pragma once
// apply and rollback: create and verify tokens, rewrite files atomically with backups, journal
// every step before it happens, undo from the journal. See docs/apply.md.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/exec/fault_injection.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/scan/detector.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::exec {

struct ExecOptions {
  std::string state_dir = "/var/lib/cfmigrate";
  std::string host;              // this host's name; a plan for another host is refused
  std::string root;              // empty: the plan's root
  bool dry_run = false;          // same code path, nothing mutated
  bool no_rollback = false;      // keep a failed apply's partial state for --resume
  bool resume = false;           // continue an interrupted apply from its journal
  bool force = false;            // rollback: restore over files changed since apply (current one backed up)
  std::chrono::milliseconds verify_timeout{60000};
  cloudflare::ClientOptions client;
  std::optional<cloudflare::Credentials> credentials;  // from the environment, for env-sourced plans
  std::string post_hook;         // run once per program after success, CFMIGRATE_PROGRAM set
  std::ostream* log = nullptr;   // progress lines (never secrets)
};

enum class Outcome {
  done,          // applied / rolled back
  nothing,       // nothing to do (already applied, already rolled back)
  failed,        // failed; rolled back unless no_rollback
  stale,         // a file differs from the plan: nothing changed
  locked,        // another apply or rollback holds the state lock
  incompatible,  // plan for another host, or from an incompatible version
  conflicts,     // rollback left files that changed since apply
};

struct ExecReport {
  Outcome outcome = Outcome::done;
  std::string message;
  std::vector<std::string> reload;        // what to reload (from the plan)
  std::vector<std::string> conflicts;     // rollback: files left alone
  std::vector<std::string> conflict_diffs;// rollback: masked diffs of those files
  unsigned files_written = 0;
  unsigned files_restored = 0;
  unsigned tokens_created = 0;
  unsigned tokens_deleted = 0;
};

// Applies `plan`. Failures the outside world causes are reported in ExecReport (with the journal
// recording them); Result errors are for unusable inputs (state dir, plan).
[[nodiscard]] Result<ExecReport> apply_plan(const scan::RecipeIndex& index, const plan::Plan& plan, const ExecOptions& options,
                                            FaultInjector& faults);

// Rolls back the migration `plan_id` ("" = the most recent one) from its journal: files first
// (only those still as apply wrote them, unless force), then the tokens it created.
[[nodiscard]] Result<ExecReport> rollback_migration(const scan::RecipeIndex& index, const std::string& plan_id,
                                                    const ExecOptions& options, FaultInjector& faults);

// The ids of the token `name` this migration may have created: `journalled` (when known) plus
// every token the API lists under that name.
[[nodiscard]] Result<std::vector<std::string>> token_ids(cloudflare::Client& client, const std::string& name,
                                                         const std::string& journalled);

} // namespace cfmigrate::exec
