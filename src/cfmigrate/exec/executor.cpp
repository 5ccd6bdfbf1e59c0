#include <cfmigrate/exec/executor.hpp>

#include <cfmigrate/exec/run_context.hpp>
#include <cfmigrate/exec/token_deletion.hpp>
#include <cfmigrate/plan/edit_builder.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_validation.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/held_file.hpp>
#include <cfmigrate/util/process_hygiene.hpp>
#include <cfmigrate/util/base64.hpp>
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/sha256.hpp>
#include <cfmigrate/util/version.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::exec {

namespace json = boost::json;

namespace {

// "0.1.0" -> "0.1": plans are compatible within a minor version.
std::string minor_of(const std::string& version)
{
  std::size_t second = version.find('.', version.find('.') + 1);
  return version.substr(0, second);
}

// A read the token's own permissions allow, on one of its zones: proves it works for real.
std::optional<std::string> harmless_read(const plan::PlannedToken& token)
{
  auto has = [&](const char* name) {
    return std::any_of(token.permissions.begin(), token.permissions.end(), [&](const plan::PermissionRef& p) { return p.name == name; });
  };
  if (token.zone_ids.empty()) {
    return std::nullopt;
  }
  const std::string& zone = token.zone_ids.front();
  if (has("DNS Read") || has("DNS Write")) {
    return "/zones/" + zone + "/dns_records";
  }
  if (has("Zone Read")) {
    return "/zones/" + zone;
  }
  if (has("Zone Settings Read") || has("Zone Settings Write")) {
    return "/zones/" + zone + "/settings";
  }
  return std::nullopt;
}

class Applier {
public:
  Applier(const recipe::RecipeIndex& index, const plan::Plan& plan, const ExecOptions& options, FaultInjector& faults)
    : m_index(index), m_plan(plan), m_options(options), m_faults(faults)
  {
  }

  Result<ExecReport> run()
  {
    // A plan is untrusted input: every field apply relies on is checked before anything exists.
    CFM_TRY_STATUS(plan::validate_plan(m_plan));
    if (m_plan.host != m_options.host) {
      return report(Outcome::incompatible, "this plan was made for host " + m_plan.host + ", not " + m_options.host);
    }
    if (minor_of(m_plan.tool_version) != minor_of(tool_version())) {
      return report(Outcome::incompatible, "this plan was made by cfmigrate " + m_plan.tool_version + "; this is "
                                               + tool_version() + ": plan again");
    }
    auto context = RunContext::open(m_options, m_plan.plan_id, MigrationDir::create);
    if (!context) {
      if (context.error().code() == ErrorCode::locked) {
        return report(Outcome::locked, context.error().message());
      }
      return context.error();
    }
    m_context = std::move(*context);
    CFM_TRY(m_root, open_root_directory(m_context->root(m_plan)));
    if (m_context->has_journal()) {
      CFM_TRY(MigrationSummary summary, read_summary(m_context->paths()));
      if (summary.state == MigrationState::applied || summary.state == MigrationState::finalized) {
        return report(Outcome::nothing, "plan " + m_plan.plan_id + " is already applied");
      }
      if (!m_options.resume) {
        return report(Outcome::failed, "an earlier apply of plan " + m_plan.plan_id + " ended as " + to_string(summary.state)
                                           + "; use `apply --resume` or `rollback`");
      }
      m_previous = std::move(summary);
    }
    if (!m_context->dry_run()) {
      if (auto written = plan::write_plan_file(m_plan, m_context->paths().plan); !written) {
        return written.error();
      }
    }
    // Nothing changes unless every file is what was planned (or, resuming, what we wrote).
    std::vector<std::string> stale;
    for (const auto& f : m_plan.files) {
      CFM_TRY(bool is_fresh, fresh(f));
      if (!is_fresh) {
        stale.push_back(f.path);
      }
    }
    if (!stale.empty()) {
      std::string list;
      for (const auto& s : stale) {
        list += (list.empty() ? "" : ", ") + s;
      }
      return report(Outcome::stale, "the plan is stale: " + list + " changed since it was made; run plan again");
    }
    m_run_id = m_previous && !m_previous->run_id.empty() ? m_previous->run_id : random_hex(4);
    if (Status s = step("apply_started", json::object{{"type", "apply_started"}, {"plan_id", m_plan.plan_id}, {"host", m_plan.host},
                                                      {"run", m_run_id}, {"resume", m_options.resume}});
        !s) {
      return report(Outcome::failed, s.error().message());
    }
    Status done = apply_all();
    if (!done) {
      return fail(done.error());
    }
    if (Status completed = step("completed", json::object{{"type", "completed"}}); !completed) {
      return fail(completed.error());  // an apply the journal does not know as complete is not complete
    }
    m_report.outcome = Outcome::done;
    m_report.message = m_context->dry_run() ? "dry run: nothing was changed" : "plan " + m_plan.plan_id + " applied";
    m_report.reload = m_plan.reload;
    run_post_hooks();
    return m_report;
  }

private:
  ExecReport report(Outcome outcome, std::string message)
  {
    m_report.outcome = outcome;
    m_report.message = std::move(message);
    return m_report;
  }

  // Journals first (never in a dry run), counting the step for fault injection.
  Status step(const std::string& point, json::object record)
  {
    CFM_TRY_STATUS(m_faults.visit("journal"));
    CFM_TRY_STATUS(m_context->record(std::move(record)));
    (void)point;
    return {};
  }

  // Whether the file is still what was planned (or, resuming, what we wrote), read through the
  // anchored walk. A missing file is stale; a link, FIFO or hostile directory is an error.
  Result<bool> fresh(const plan::FileState& f)
  {
    auto held = hold_file(f);
    if (!held) {
      if (held.error().code() == ErrorCode::not_found) {
        return false;
      }
      return held.error();
    }
    std::string sha = sha256_hex(held->content);
    if (sha == f.sha256 && held->content.size() == f.size && held->identity.ino == f.inode) {
      return true;
    }
    if (m_options.resume && m_previous) {
      // Written by the interrupted apply (with a token that will be replaced).
      if (const FileRecord* r = m_previous->file(f.path); r != nullptr && r->sha_after == sha) {
        return true;
      }
    }
    return false;
  }

  Status apply_all()
  {
    if (m_previous) {
      CFM_TRY_STATUS(delete_previous_tokens());
    }
    for (const auto& t : m_plan.tokens) {
      CFM_TRY_STATUS(create_token(t));
    }
    for (const auto& e : m_plan.edits) {
      CFM_TRY_STATUS(write_file(e));
    }
    return {};
  }

  // Resuming: the values of tokens created before the interruption are lost, so they are
  // deleted (by journalled id, or found as exec/token_deletion.hpp allows) and made again.
  Status delete_previous_tokens()
  {
    CFM_TRY(std::set<std::string> elsewhere,
            token_ids_of_other_migrations(StateDir::at(m_options.state_dir), m_plan.plan_id));
    for (const auto& t : m_plan.tokens) {
      const TokenRecord* r = m_previous->token(t.key);
      if (r == nullptr || r->state == "deleted") {
        continue;
      }
      CFM_TRY(cloudflare::Client * client, m_context->client_for(m_index, m_plan, t.credential));
      CFM_TRY(std::vector<std::string> ids, attributable_token_ids(*client, *r, elsewhere));
      TokenDeletion how{*client, m_faults, [&](json::object record) { return step("token_delete", std::move(record)); },
                        [&](const std::string& line) { m_context->log(line + " left by the interrupted apply"); },
                        m_context->dry_run()};
      CFM_TRY(unsigned deleted, delete_token_ids(how, *r, ids));
      (void)deleted;
    }
    return {};
  }

  // The name the token gets at Cloudflare: the planned name and this apply's run id, so that two
  // migrations of one host (two roots, two state dirs) never share a token name.
  std::string token_name(const plan::PlannedToken& t) const { return m_run_id.empty() ? t.name : t.name + "/" + m_run_id; }

  Status create_token(const plan::PlannedToken& t)
  {
    CFM_TRY(cloudflare::Client * client, m_context->client_for(m_index, m_plan, t.credential));
    const std::string name = token_name(t);
    CFM_TRY_STATUS(step("token_create_intent", json::object{{"type", "token_create_intent"}, {"token", t.key}, {"name", name}}));
    m_context->log("create token " + name);
    if (m_context->dry_run()) {
      m_tokens.emplace(t.key, Secret("<new token " + t.key + ">"));
      return {};
    }
    CFM_TRY_STATUS(m_faults.visit("token_create"));
    cloudflare::TokenSpec spec;
    spec.name = name;
    spec.policies = t.policies;
    if (!t.allow_ips.empty()) {
      spec.request_ip = cloudflare::IpCondition{t.allow_ips, {}};
    }
    spec.expires_on = t.expires_on;
    CFM_TRY(cloudflare::CreatedToken created, client->create_token(cloudflare::TokenOwner::user(), spec));
    ++m_report.tokens_created;
    CFM_TRY_STATUS(step("token_created", json::object{{"type", "token_created"}, {"token", t.key}, {"id", created.token.id}}));
    // Verify before any file depends on it: active (propagation may take seconds), then one real read.
    CFM_TRY_STATUS(m_faults.visit("token_verify"));
    CFM_TRY(cloudflare::TokenVerification verification,
            client->wait_until_token_valid(cloudflare::TokenOwner::user(), created.value, m_options.verify_timeout));
    (void)verification;
    CFM_TRY_STATUS(m_faults.visit("token_check"));
    if (auto path = harmless_read(t)) {
      cloudflare::ClientOptions options = m_context->client_options();
      CFM_TRY(std::unique_ptr<cloudflare::Client> as_token,
              cloudflare::Client::create(options, cloudflare::Credentials(cloudflare::BearerToken{created.value.clone()})));
      CFM_TRY(cloudflare::Envelope envelope, as_token->call("GET", *path, "per_page=5", "", cloudflare::Idempotency::idempotent));
      (void)envelope;
    }
    CFM_TRY_STATUS(step("token_verified", json::object{{"type", "token_verified"}, {"token", t.key}, {"id", created.token.id}}));
    m_tokens.emplace(t.key, std::move(created.value));
    return {};
  }

  // Reads the file through the anchored walk from the root (never through a link, never through
  // a directory another user controls) and remembers which directory and inode it was, so the
  // backup and the replace can insist on them (docs/security.md).
  Result<HeldFile> hold_file(const plan::FileState& state) const
  {
    return hold_file_beneath(m_root.get(), state.path, state.uid);
  }

  Status write_file(const plan::FileEdit& e)
  {
    const plan::FileState* state = m_plan.file(e.path);
    std::string real = m_context->real_path(m_plan, e.path);
    CFM_TRY(HeldFile held, hold_file(*state));
    const std::string& current = held.content;
    std::string original;
    std::uint64_t backup_id = 0;
    const FileRecord* previous = m_previous ? m_previous->file(e.path) : nullptr;
    if (sha256_hex(current) == state->sha256) {
      original = current;
    } else if (previous != nullptr && previous->backup_id != 0 && m_context->store() != nullptr) {
      CFM_TRY(BackupRecord record, m_context->store()->load(previous->backup_id));
      CFM_TRY(original, m_context->store()->read_content(record));
      backup_id = previous->backup_id;
    } else {
      return make_error(ErrorCode::conflict, "changed while applying", e.path);
    }
    if (previous != nullptr && !m_context->dry_run()) {
      // An interrupted write may have left its temp file.
      (void)remove_stale_temp_files_beneath(m_root.get(), held.relative, state->uid);
    }
    if (backup_id == 0 && !m_context->dry_run()) {
      CFM_TRY_STATUS(m_faults.visit("backup"));
      CFM_TRY(BackupRecord record, m_context->store()->save(held, real));
      if (record.sha256 != state->sha256) {
        return make_error(ErrorCode::conflict, "changed while it was being backed up", e.path);
      }
      backup_id = record.id;
    }
    CFM_TRY_STATUS(step("file_backup", file_record("file_backup", e.path, {{"backup_id", backup_id},
                                                    {"sha_before", state->sha256}})));
    std::string updated = plan::apply_changes(original, e.changes, [&](const std::string& key, bool encode) {
      auto it = m_tokens.find(key);
      std::string value(it == m_tokens.end() ? std::string_view() : it->second.expose_secret_value_for_use_in_credential_slot());
      return encode ? base64_encode(value) : value;
    });
    std::string sha_after = sha256_hex(updated);
    CFM_TRY_STATUS(step("file_write_intent", file_record("file_write_intent", e.path, {{"sha_before", state->sha256}, {"sha_after", sha_after}})));
    m_context->log("rewrite " + e.path);
    if (m_context->dry_run()) {
      return {};
    }
    AtomicWriteOptions write_options;
    write_options.failure_injector = [&](AtomicStep s) { return m_faults.visit(atomic_step_point("write", s)); };
    write_options.anchor = Anchor{m_root.get(), held.relative, state->uid, held.identity, held.parent};
    CFM_TRY_STATUS(replace_file_atomically(real, updated, write_options));
    ++m_report.files_written;
    CFM_TRY_STATUS(step("file_written", file_record("file_written", e.path, {{"sha_after", sha_after}})));
    CFM_TRY_STATUS(verify_file(e, *state, sha_after));
    CFM_TRY_STATUS(step("file_verified", file_record("file_verified", e.path)));
    return {};
  }

  // Re-read: exactly what was written, no planned Global key left in it, the file still parses.
  Status verify_file(const plan::FileEdit& e, const plan::FileState& state, const std::string& sha_after)
  {
    CFM_TRY_STATUS(m_faults.visit("verify_file"));
    CFM_TRY(HeldFile written, hold_file(state));
    const std::string& content = written.content;
    if (sha256_hex(content) != sha_after) {
      return make_error(ErrorCode::conflict, "the file read back differs from what was written", e.path);
    }
    scan::DetectStats stats;
    for (const auto& f : scan::detect(m_index, e.path, content, stats)) {
      bool planned_key = f.credential == scan::Credential::global_key
                         && std::any_of(m_plan.credentials.begin(), m_plan.credentials.end(),
                                        [&](const plan::CreatorCredential& c) { return c.fingerprint == f.fingerprint; });
      if (planned_key && f.setting.state == scan::State::active) {
        return make_error(ErrorCode::conflict, "a Global key is still active in the rewritten file", e.path);
      }
    }
    if (e.path.ends_with(".json")) {
      boost::system::error_code ec;
      (void)json::parse(content, ec);
      if (ec) {
        return make_error(ErrorCode::parse, "the rewritten file is no longer valid JSON", e.path);
      }
    }
    return {};
  }

  Result<ExecReport> fail(const Error& error)
  {
    m_context->log("failed: " + error.describe());
    (void)m_context->record(json::object{{"type", "failed"}, {"step", to_string(error.code())}, {"message", error.describe()}});
    m_report.outcome = Outcome::failed;
    m_report.message = error.describe();
    if (m_options.no_rollback || m_context->dry_run()) {
      m_report.message += m_context->dry_run() ? "" : "; partial state kept for `apply --resume` (--no-rollback)";
      return m_report;
    }
    std::string plan_id = m_plan.plan_id;
    m_context.reset();  // releases the lock for the rollback
    auto rolled = rollback_migration(m_index, plan_id, m_options, m_faults);
    if (!rolled) {
      m_report.message += "; rollback failed too: " + rolled.error().describe();
      return m_report;
    }
    m_report.files_restored = rolled->files_restored;
    m_report.tokens_deleted = rolled->tokens_deleted;
    m_report.conflicts = rolled->conflicts;
    m_report.message += rolled->outcome == Outcome::done ? "; everything this apply did was rolled back"
                                                         : "; rollback: " + rolled->message;
    return m_report;
  }

  void run_post_hooks()
  {
    if (m_options.post_hook.empty() || m_context->dry_run()) {
      return;
    }
    std::set<std::string> programs;
    for (const auto& e : m_plan.edits) {
      programs.insert(e.program);
    }
    for (const auto& program : programs) {
      // A scrubbed environment and no inherited descriptor: the hook never sees a credential or
      // the API connection (docs/security.md).
      auto status = run_hook(m_options.post_hook, {{"CFMIGRATE_PROGRAM", program}, {"CFMIGRATE_PLAN_ID", m_plan.plan_id}});
      m_context->log("post-hook for " + program + " exited with " + (status ? std::to_string(*status) : status.error().message()));
    }
  }

  const recipe::RecipeIndex& m_index;
  const plan::Plan& m_plan;
  const ExecOptions& m_options;
  FaultInjector& m_faults;
  std::unique_ptr<RunContext> m_context;
  UniqueFd m_root;  // the root every planned path is beneath, held for the whole run
  std::string m_run_id;
  std::optional<MigrationSummary> m_previous;
  std::map<std::string, Secret> m_tokens;
  ExecReport m_report;
};

} // namespace

Result<ExecReport> apply_plan(const recipe::RecipeIndex& index, const plan::Plan& plan, const ExecOptions& options,
                              FaultInjector& faults)
{
  return Applier(index, plan, options, faults).run();
}

} // namespace cfmigrate::exec
