#pragma once
// What apply and rollback share while they run: the migration's files in the state dir, the
// journal (written before every mutation), the backup store, one API client per credential, and
// the dry-run switch that keeps every mutation from happening while the same code path runs.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/exec/backup_store.hpp>
#include <cfmigrate/exec/exec_options.hpp>
#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/util/file_content.hpp>
#include <cfmigrate/util/file_lock.hpp>

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cfmigrate::exec {

// Whether RunContext::open makes the migration's directory (apply) or expects it (rollback).
enum class MigrationDir { create, existing };

class RunContext {
public:
  // Opens (or, for a dry run, only locates) the state dir and the migration's directory, and
  // takes the state lock. ErrorCode::locked when another run holds it.
  [[nodiscard]] static Result<std::unique_ptr<RunContext>> open(const ExecOptions& options, const std::string& plan_id,
                                                                MigrationDir dir);

  const ExecOptions& options() const { return m_options; }
  // The client options, with one rate limiter shared by all clients of the run.
  const cloudflare::ClientOptions& client_options() const { return m_client; }
  const MigrationPaths& paths() const { return m_paths; }
  bool dry_run() const { return m_options.dry_run; }
  bool has_journal() const;

  // Appends a journal record (fsynced) or, in a dry run, logs it. Refuses secrets by construction.
  [[nodiscard]] Status record(boost::json::object record);
  void log(const std::string& line) const;

  BackupStore* store() { return m_store ? &*m_store : nullptr; }

  // The client for the plan's credential `fingerprint`, resolved once: from the environment for
  // env-sourced credentials, else the Global key read back from the file it was found in (or its
  // backup, once the file has been rewritten).
  [[nodiscard]] Result<cloudflare::Client*> client_for(const recipe::RecipeIndex& index, const plan::Plan& plan,
                                                       const std::string& fingerprint);

  // The root the plan's paths are under: --root, else the plan's, else "/".
  std::string root(const plan::Plan& plan) const;
  std::string real_path(const plan::Plan& plan, const std::string& reported) const;

private:
  // A credential file's bytes, read through the anchored walk from the root (util/held_file.hpp).
  [[nodiscard]] Result<std::string> read_credential_file(const plan::Plan& plan, const std::string& path) const;
  explicit RunContext(const ExecOptions& options) : m_options(options), m_client(options.client) {}

  const ExecOptions& m_options;
  cloudflare::ClientOptions m_client;
  MigrationPaths m_paths;
  std::optional<FileLock> m_lock;
  std::optional<Journal> m_journal;
  std::optional<BackupStore> m_store;
  std::map<std::string, std::unique_ptr<cloudflare::Client>> m_clients;
};

} // namespace cfmigrate::exec
