// rollback: restore each file apply rewrote (only while it still holds what apply wrote, unless
// forced), then delete the tokens apply created — files first, so no program ever points at a
// deleted token. Idempotent: a file already restored and a token already gone are skipped.
//
// Files are reached through the anchored walk from the root's handle (docs/security.md): a
// directory or file whose identity changed since apply is an identity conflict, reported and left
// alone even with --force, which overrides content conflicts only. A journal that does not
// account for everything the migration's directory holds is damaged: rollback undoes what it
// can attribute, keeps every token, says what it could not undo and exits non-zero.

#include <cfmigrate/exec/executor.hpp>

#include <cfmigrate/exec/journal_damage.hpp>
#include <cfmigrate/exec/run_context.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/exec/token_deletion.hpp>
#include <cfmigrate/plan/masked_diff.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_validation.hpp>
#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/credential_shape.hpp>
#include <cfmigrate/util/held_file.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <boost/json.hpp>

#include <algorithm>

namespace cfmigrate::exec {

namespace json = boost::json;

namespace {

// The file's text with every credential the scanner recognises replaced by its fingerprint, and
// anything else credential-shaped (a live token in a format no recipe knows) hidden.
std::string masked(const recipe::RecipeIndex& index, const std::string& path, const std::string& content)
{
  return mask_credential_shaped(plan::mask_text(content, plan::credential_masks(index, path, content)));
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
        return report(Outcome::locked, context.error().message());
      }
      return context.error();
    }
    m_context = std::move(*context);
    CFM_TRY(MigrationSummary summary, read_summary(m_context->paths()));
    CFM_TRY(std::vector<BackupRecord> backups, m_context->store() ? m_context->store()->list()
                                                                  : Result<std::vector<BackupRecord>>(std::vector<BackupRecord>{}));
    auto plan_read = plan::read_plan_file(m_context->paths().plan);
    if (!plan_read && plan_read.error().code() == ErrorCode::not_found && summary.tokens.empty() && summary.files.empty()
        && backups.empty()) {
      // An apply stopped before it saved its plan: it created and changed nothing.
      CFM_TRY_STATUS(m_context->record(json::object{{"type", "rolled_back"}}));
      return report(Outcome::done, "plan " + plan_id + " had changed nothing; marked rolled back");
    }
    CFM_TRY(plan::Plan plan, std::move(plan_read));
    CFM_TRY_STATUS(plan::validate_plan(plan));
    if (summary.state == MigrationState::rolled_back) {
      return report(Outcome::nothing, "plan " + plan_id + " is already rolled back");
    }
    if (summary.state == MigrationState::finalized) {
      return make_error(ErrorCode::conflict, "plan " + plan_id + " was finalized: its backups are gone");
    }
    CFM_TRY(m_root, open_root_directory(m_context->root(plan)));
    m_plan = &plan;
    JournalDamage damage = find_journal_damage(summary, plan_id, backups, m_context->paths().backups,
                                               [&](const BackupRecord& b) { return still_original(b); });
    CFM_TRY_STATUS(m_context->record(json::object{{"type", "rollback_started"}}));
    // Files, most recently written first.
    for (auto it = summary.files.rbegin(); it != summary.files.rend(); ++it) {
      CFM_TRY_STATUS(restore(*it));
    }
    if (damage.damaged()) {
      return damaged(plan_id, summary, damage);
    }
    if (!m_report.conflicts.empty()) {
      return report(Outcome::conflicts, std::to_string(m_report.conflicts.size())
                                          + " file(s) changed since apply and were left as they are (the tokens they "
                                            "may use are kept); rerun with --force to restore content conflicts anyway");
    }
    CFM_TRY(std::set<std::string> elsewhere, token_ids_of_other_migrations(StateDir::at(m_options.state_dir), plan_id));
    for (const auto& t : summary.tokens) {
      CFM_TRY_STATUS(delete_token(plan, t, elsewhere));
    }
    CFM_TRY_STATUS(m_context->record(json::object{{"type", "rolled_back"}}));
    return report(Outcome::done, "plan " + plan_id + " rolled back");
  }

private:
  ExecReport report(Outcome outcome, std::string message)
  {
    m_report.outcome = outcome;
    m_report.message = std::move(message);
    return m_report;
  }

  // A damaged journal: the files it records were handled above; every token is kept, since a
  // file the journal lost may use it.
  Result<ExecReport> damaged(const std::string& plan_id, const MigrationSummary& summary, const JournalDamage& damage)
  {
    m_report.not_undone = damage.findings;
    for (const auto& t : summary.tokens) {
      if (!t.id.empty() && t.state != "deleted") {
        m_report.not_undone.push_back("token " + t.name + " (id " + t.id + ") kept: delete it once no program uses it");
      }
    }
    CFM_TRY_STATUS(m_context->record(json::object{{"type", "rollback_incomplete"}, {"reason", "damaged journal"}}));
    return report(Outcome::damaged, "the journal of plan " + plan_id + " is damaged: " + std::to_string(m_report.files_restored)
                                      + " file(s) restored, " + std::to_string(m_report.not_undone.size())
                                      + " thing(s) could not be undone (listed below); no token was deleted");
  }

  // For an unrecorded backup: whether its file still holds exactly the backed-up bytes (then
  // nothing was written over it and nothing needs undoing).
  bool still_original(const BackupRecord& backup)
  {
    if (backup.relative_path.empty()) {
      return false;
    }
    auto held = hold_file_beneath(m_root.get(), backup.relative_path, backup.uid);
    return held && sha256_hex(held->content) == backup.sha256;
  }

  // What the path holds now, through the anchored walk: nullopt when missing.
  struct Current {
    std::optional<HeldFile> file;
    FileIdentity parent;
  };

  Result<Current> current_file(const std::string& relative, std::uint32_t owner)
  {
    auto held = hold_file_beneath(m_root.get(), relative, owner);
    if (held) {
      const FileIdentity parent = held->parent;
      return Current{std::move(*held), parent};
    }
    if (held.error().code() != ErrorCode::not_found) {
      return held.error();
    }
    // Deleted since apply: the directory it goes back into, walked the same way.
    CFM_TRY(AnchoredParent parent, open_parent_beneath(m_root.get(), relative, TrustedOwners{owner}));
    return Current{std::nullopt, parent.dir_identity};
  }

  // A path whose directory or file is no longer what apply wrote through: never touched.
  Status identity_conflict(const FileRecord& file, const std::string& why)
  {
    m_report.conflicts.push_back(file.path);
    m_report.identity_conflicts.push_back(file.path + ": " + why);
    return m_context->record(file_record("file_conflict", file.path, {{"identity", true}}));
  }

  Status restore(const FileRecord& file)
  {
    if (file.backup_id == 0 || file.state == "restored") {
      return {};
    }
    CFM_TRY(BackupRecord record, m_context->store()->load(file.backup_id));
    CFM_TRY(std::string relative, normalize_beneath(file.path));
    if (!record.relative_path.empty() && record.relative_path != relative) {
      return identity_conflict(file, "its backup was taken of another path");
    }
    auto current = current_file(relative, record.uid);
    if (!current) {
      return identity_conflict(file, current.error().message());
    }
    // Under the root apply used, the directory must be the one the file was read in; under
    // `--root NEWDIR` (a tree copied or moved since) its identity is new and only the walk holds.
    const bool same_root = record.original_path == m_context->real_path(*m_plan, file.path);
    if (same_root && record.parent && current->parent != *record.parent) {
      return identity_conflict(file, "its directory was replaced since apply");
    }
    std::optional<FileIdentity> expected;
    if (current->file) {
      expected = current->file->identity;
      const std::string sha = sha256_hex(current->file->content);
      if (sha == record.sha256) {
        return m_context->record(file_record("file_restored", file.path, {{"already", true}}));
      }
      const bool ours = !file.sha_after.empty() && sha == file.sha_after;
      if (!ours) {
        if (!m_options.force) {
          return content_conflict(file, record, current->file->content);
        }
        if (!m_context->dry_run()) {
          // Forced: keep the current file too before putting the original back.
          CFM_TRY(BackupRecord kept, m_context->store()->save(*current->file, m_context->real_path(*m_plan, file.path)));
          CFM_TRY_STATUS(m_context->record(
            file_record("backup_kept", file.path, {{"backup_id", kept.id}})));
        }
      }
    }
    CFM_TRY_STATUS(m_faults.visit("restore"));
    m_context->log("restore " + file.path);
    if (!m_context->dry_run()) {
      // An interrupted write may have left its temp file.
      (void)remove_stale_temp_files_beneath(m_root.get(), relative, record.uid);
      CFM_TRY_STATUS(m_context->store()->restore(record, Anchor{m_root.get(), relative, record.uid, expected, current->parent},
                                                 [&](AtomicStep s) { return m_faults.visit(atomic_step_point("restore_write", s)); }));
    }
    ++m_report.files_restored;
    return m_context->record(file_record("file_restored", file.path));
  }

  // The file was changed by someone else since apply: show what changed (every credential
  // masked) and leave it.
  Status content_conflict(const FileRecord& file, const BackupRecord& record, const std::string& now_content)
  {
    CFM_TRY(std::string original, m_context->store()->read_content(record));
    std::string before = masked(m_index, file.path, original);
    std::string now = masked(m_index, file.path, now_content);
    std::vector<plan::Change> whole{plan::Change{0, before.size(), {plan::ReplacementPart{now, {}, false}}, ""}};
    m_report.conflicts.push_back(file.path);
    m_report.conflict_diffs.push_back(plan::masked_unified_diff(file.path, before, whole, {}));
    return m_context->record(file_record("file_conflict", file.path));
  }

  Status delete_token(const plan::Plan& plan, const TokenRecord& token, const std::set<std::string>& elsewhere)
  {
    if (token.state == "deleted") {
      return {};
    }
    const plan::PlannedToken* planned = plan.token(token.key);
    if (planned == nullptr) {
      return {};
    }
    CFM_TRY(cloudflare::Client * client, m_context->client_for(m_index, plan, planned->credential));
    CFM_TRY(std::vector<std::string> ids, attributable_token_ids(*client, token, elsewhere));
    TokenDeletion how{*client, m_faults, [&](json::object record) { return m_context->record(std::move(record)); },
                      [&](const std::string& line) { m_context->log(line); }, m_context->dry_run()};
    CFM_TRY(unsigned deleted, delete_token_ids(how, token, ids));
    m_report.tokens_deleted += deleted;
    return {};
  }

  const recipe::RecipeIndex& m_index;
  const ExecOptions& m_options;
  FaultInjector& m_faults;
  std::unique_ptr<RunContext> m_context;
  UniqueFd m_root;
  const plan::Plan* m_plan = nullptr;
  ExecReport m_report;
};

} // namespace

Result<ExecReport> rollback_migration(const recipe::RecipeIndex& index, const std::string& plan_id, const ExecOptions& options,
                                      FaultInjector& faults)
{
  return RollingBack(index, options, faults).run(plan_id);
}

} // namespace cfmigrate::exec
