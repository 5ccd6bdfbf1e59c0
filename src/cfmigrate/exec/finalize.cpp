#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/exec/finalize.hpp>

#include <cfmigrate/exec/backup_store.hpp>
#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/util/file_lock.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <set>

namespace cfmigrate::exec {

namespace {

// Deletes the backups and journals it; the caller holds the state lock.
Result<std::size_t> remove_backups(const MigrationPaths& paths)
{
  auto store = BackupStore::open(paths.backups);
  auto journal = Journal::open(paths.journal);
  if (!store || !journal) {
    return make_error(ErrorCode::io, "cannot open the migration's state");
  }
  CFM_TRY(std::size_t removed, store->remove_all());
  CFM_TRY(std::uint64_t seq, journal->append(boost::json::object{{"type", "finalized"}, {"backups_removed", removed}}));
  (void)seq;
  return removed;
}

// Every usage of the plan's Global keys (any Global key when the plan names none) on the host.
Result<std::vector<std::string>> remaining_usages(const recipe::RecipeIndex& index, const plan::Plan& plan,
                                                  const std::string& root)
{
  scan::ScanOptions scan_options;
  scan_options.root = root.empty() ? plan.root : root;
  for (const auto& f : plan.files) {
    scan_options.paths.push_back(f.path);  // the migrated files ...
  }
  for (const auto& place : scan::default_scan_paths()) {
    scan_options.paths.push_back(place);   // ... and the usual places
  }
  CFM_TRY(scan::ScanReport report, scan::run_scan(index, scan_options));
  std::set<std::string> keys;
  for (const auto& c : plan.credentials) {
    if (c.kind == "global_key") {
      keys.insert(c.fingerprint);
    }
  }
  std::set<std::string> remaining;
  for (const auto& f : report.findings) {
    if (f.credential == scan::Credential::global_key && (keys.empty() || keys.count(f.fingerprint) != 0)) {
      remaining.insert(f.path + ":" + std::to_string(f.setting.line) + "  " + f.program + "  " + f.fingerprint);
    }
  }
  return std::vector<std::string>(remaining.begin(), remaining.end());
}

} // namespace

Result<FinalizeReport> finalize_migration(const recipe::RecipeIndex& index, const FinalizeOptions& options)
{
  StateDir state = StateDir::at(options.state_dir);
  CFM_TRY(MigrationPaths paths, state.migration(options.plan_id));
  CFM_TRY(FileLock lock, FileLock::acquire(state.lock_path()));
  auto summary = read_summary(paths);
  auto plan = plan::read_plan_file(paths.plan);
  if (!summary || !plan) {
    return make_error(ErrorCode::not_found, "no migration " + options.plan_id + " in " + options.state_dir);
  }
  if (summary->state != MigrationState::applied && summary->state != MigrationState::finalized) {
    return make_error(ErrorCode::conflict, "migration " + options.plan_id + " is " + to_string(summary->state)
                                             + ", not applied");
  }
  FinalizeReport report;
  CFM_TRY(report.backups_removed, remove_backups(paths));
  auto remaining = remaining_usages(index, *plan, options.root);
  if (!remaining) {
    return make_error(remaining.error().code(), "deleted " + std::to_string(report.backups_removed)
                                                  + " backup file(s), but the re-scan failed: "
                                                  + remaining.error().describe());
  }
  report.remaining = std::move(*remaining);
  return report;
}

} // namespace cfmigrate::exec
