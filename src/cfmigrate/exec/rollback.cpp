// rollback: restore each file apply rewrote (only while it still holds what apply wrote, unless
// forced), then delete the tokens apply created — files first, so no program ever points at a
// deleted token. Idempotent: a file already restored and a token already gone are skipped.

#include <cfmigrate/exec/executor.hpp>

#include <cfmigrate/exec/run_context.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/plan/masked_diff.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_validation.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sys/stat.h>

namespace cfmigrate::exec {

namespace json = boost::json;

namespace {

// The file's text with every credential the scanner recognises replaced by its fingerprint.
std::string masked(const recipe::RecipeIndex& index, const std::string& path, const std::string& content)
{
  return plan::mask_text(content, plan::credential_masks(index, path, content));
}

class RollingBack {
public:
  RollingBack(const recipe::RecipeIndex& index, const ExecOptions& options, FaultInjector& faults)
    : m_index(index), m_options(options), m_faults(faults)
  {
  }

  Result<ExecReport> run(std::string plan_id)
  {
    if (plan_id.empty()) {
      CFM_TRY(std::vector<std::string> ids, StateDir::at(m_options.state_dir).list_migrations());
      if (ids.empty()) {
        return make_error(ErrorCode::not_found, "no migration to roll back in " + m_options.state_dir);
      }
      plan_id = ids.back();
    }
    auto context = RunContext::open(m_options, plan_id, MigrationDir::existing);
    if (!context) {
      if (context.error().code() == ErrorCode::locked) {
        m_report.outcome = Outcome::locked;
        m_report.message = context.error().message();
        return m_report;
      }
      return context.error();
    }
    m_context = std::move(*context);
    CFM_TRY(MigrationSummary summary, read_summary(m_context->paths()));
    auto plan_read = plan::read_plan_file(m_context->paths().plan);
    if (!plan_read && plan_read.error().code() == ErrorCode::not_found && summary.tokens.empty() && summary.files.empty()) {
      // An apply stopped before it saved its plan: it created and changed nothing.
      CFM_TRY_STATUS(m_context->record(json::object{{"type", "rolled_back"}}));
      m_report.outcome = Outcome::done;
      m_report.message = "plan " + plan_id + " had changed nothing; marked rolled back";
      return m_report;
    }
    CFM_TRY(plan::Plan plan, std::move(plan_read));
    CFM_TRY_STATUS(plan::validate_plan(plan));
    if (summary.state == MigrationState::rolled_back) {
      m_report.outcome = Outcome::nothing;
      m_report.message = "plan " + plan_id + " is already rolled back";
      return m_report;
    }
    if (summary.state == MigrationState::finalized) {
      return make_error(ErrorCode::conflict, "plan " + plan_id + " was finalized: its backups are gone");
    }
    CFM_TRY_STATUS(m_context->record(json::object{{"type", "rollback_started"}}));
    // Files, most recently written first.
    for (auto it = summary.files.rbegin(); it != summary.files.rend(); ++it) {
      CFM_TRY_STATUS(restore(plan, *it));
    }
    if (!m_report.conflicts.empty()) {
      m_report.outcome = Outcome::conflicts;
      m_report.message = std::to_string(m_report.conflicts.size()) + " file(s) changed since apply and were left as they are "
                                                                      "(the tokens they may use are kept); rerun with --force to restore them anyway";
      return m_report;
    }
    for (const auto& t : summary.tokens) {
      CFM_TRY_STATUS(delete_token(plan, t));
    }
    CFM_TRY_STATUS(m_context->record(json::object{{"type", "rolled_back"}}));
    m_report.outcome = Outcome::done;
    m_report.message = "plan " + plan_id + " rolled back";
    return m_report;
  }

private:
  Status restore(const plan::Plan& plan, const FileRecord& file)
  {
    if (file.backup_id == 0 || file.state == "restored") {
      return {};
    }
    std::string real = m_context->real_path(plan, file.path);
    CFM_TRY(BackupRecord record, m_context->store()->load(file.backup_id));
    auto current = read_file_content(real);
    std::string sha = current ? sha256_hex(*current) : std::string();
    if (sha == record.sha256) {
      return m_context->record(json::object{{"type", "file_restored"}, {"path", file.path}, {"already", true}});
    }
    bool ours = !file.sha_after.empty() && sha == file.sha_after;
    if (!ours && current) {
      if (!m_options.force) {
        CFM_TRY(std::string original, m_context->store()->read_content(record));
        std::string before = masked(m_index, file.path, original);
        std::string now = masked(m_index, file.path, *current);
        std::vector<plan::Change> whole{plan::Change{0, before.size(), {plan::ReplacementPart{now, {}, false}}, ""}};
        m_report.conflicts.push_back(file.path);
        m_report.conflict_diffs.push_back(plan::masked_unified_diff(file.path, before, whole, {}));
        return m_context->record(json::object{{"type", "file_conflict"}, {"path", file.path}});
      }
      // Forced: keep the current file too before putting the original back.
      if (!m_context->dry_run()) {
        CFM_TRY(BackupRecord kept, m_context->store()->save(real));
        (void)kept;
      }
    }
    (void)remove_stale_temp_files(real);  // an interrupted write may have left its temp file
    CFM_TRY_STATUS(m_faults.visit("restore"));
    m_context->log("restore " + file.path);
    if (!m_context->dry_run()) {
      CFM_TRY_STATUS(m_context->store()->restore(record));
    }
    ++m_report.files_restored;
    return m_context->record(json::object{{"type", "file_restored"}, {"path", file.path}});
  }

  Status delete_token(const plan::Plan& plan, const TokenRecord& token)
  {
    if (token.state == "deleted") {
      return {};
    }
    const plan::PlannedToken* planned = plan.token(token.key);
    if (planned == nullptr) {
      return {};
    }
    CFM_TRY(cloudflare::Client * client, m_context->client_for(m_index, plan, planned->credential));
    // The journalled id, and whatever exists under the name (a create whose outcome is unknown).
    CFM_TRY(std::vector<std::string> ids, token_ids(*client, planned->name, token.id));
    for (const auto& id : ids) {
      CFM_TRY_STATUS(m_context->record(json::object{{"type", "token_delete_intent"}, {"token", token.key}, {"id", id}}));
      CFM_TRY_STATUS(m_faults.visit("token_delete"));
      m_context->log("delete token " + planned->name);
      if (!m_context->dry_run()) {
        Status deleted = client->delete_token(cloudflare::TokenOwner::user(), id);
        if (!deleted && deleted.error().code() != ErrorCode::not_found) {
          return deleted.error();
        }
      }
      ++m_report.tokens_deleted;
      CFM_TRY_STATUS(m_context->record(json::object{{"type", "token_deleted"}, {"token", token.key}, {"id", id}}));
    }
    return {};
  }

  const recipe::RecipeIndex& m_index;
  const ExecOptions& m_options;
  FaultInjector& m_faults;
  std::unique_ptr<RunContext> m_context;
  ExecReport m_report;
};

} // namespace

Result<ExecReport> rollback_migration(const recipe::RecipeIndex& index, const std::string& plan_id, const ExecOptions& options,
                                      FaultInjector& faults)
{
  return RollingBack(index, options, faults).run(plan_id);
}

} // namespace cfmigrate::exec
