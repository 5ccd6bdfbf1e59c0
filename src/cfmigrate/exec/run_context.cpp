#include <cfmigrate/exec/run_context.hpp>

#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/held_file.hpp>
#include <cfmigrate/util/real_path.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <boost/json.hpp>

#include <fstream>
#include <ostream>
#include <sstream>
#include <sys/stat.h>

namespace cfmigrate::exec {

Result<std::unique_ptr<RunContext>> RunContext::open(const ExecOptions& options, const std::string& plan_id, MigrationDir dir)
{
  std::unique_ptr<RunContext> context(new RunContext(options));
  if (!context->m_client.limiter) {
    // One budget for every client of this run (the key's, and each new token's check).
    context->m_client.limiter = std::make_shared<cloudflare::RateLimiter>(context->m_client.rate_limit);
  }
  CFM_TRY(MigrationPaths paths, StateDir::at(options.state_dir).migration(plan_id));
  struct stat st{};
  bool exists = ::stat(paths.dir.c_str(), &st) == 0;
  if (options.dry_run) {
    context->m_paths = paths;
    if (exists) {
      auto store = BackupStore::open(context->m_paths.backups);
      if (store) {
        context->m_store.emplace(std::move(*store));
      }
    }
    return context;
  }
  CFM_TRY(StateDir state, StateDir::open(options.state_dir));
  CFM_TRY(FileLock lock, FileLock::acquire(state.lock_path()));
  context->m_lock.emplace(std::move(lock));
  if (!exists && dir == MigrationDir::existing) {
    return make_error(ErrorCode::not_found, "no migration " + plan_id + " in " + options.state_dir);
  }
  CFM_TRY(context->m_paths, state.create_migration(plan_id));
  CFM_TRY(BackupStore store, BackupStore::open(context->m_paths.backups));
  context->m_store.emplace(std::move(store));
  CFM_TRY(Journal journal, Journal::open(context->m_paths.journal));
  context->m_journal.emplace(std::move(journal));
  return context;
}

bool RunContext::has_journal() const
{
  struct stat st{};
  return ::stat(m_paths.journal.c_str(), &st) == 0 && st.st_size > 0;
}

Status RunContext::record(boost::json::object record)
{
  if (m_options.dry_run || !m_journal) {
    return {};
  }
  CFM_TRY(std::uint64_t seq, m_journal->append(std::move(record)));
  (void)seq;
  return {};
}

void RunContext::log(const std::string& line) const
{
  if (m_options.log != nullptr) {
    *m_options.log << (m_options.dry_run ? "[dry run] " : "") << line << "\n";
  }
}

std::string RunContext::root(const plan::Plan& plan) const
{
  const std::string& chosen = m_options.root.empty() ? plan.root : m_options.root;
  return chosen.empty() ? std::string("/") : chosen;
}

std::string RunContext::real_path(const plan::Plan& plan, const std::string& reported) const
{
  return cfmigrate::real_path(m_options.root.empty() ? plan.root : m_options.root, reported);
}

Result<std::string> RunContext::read_credential_file(const plan::Plan& plan, const std::string& path) const
{
  CFM_TRY(UniqueFd root_fd, open_root_directory(root(plan)));
  const plan::FileState* state = plan.file(path);
  CFM_TRY(HeldFile held, hold_file_beneath(root_fd.get(), path, state != nullptr ? state->uid : 0));
  return std::move(held.content);
}

Result<cloudflare::Client*> RunContext::client_for(const recipe::RecipeIndex& index, const plan::Plan& plan,
                                                   const std::string& fingerprint)
{
  if (auto it = m_clients.find(fingerprint); it != m_clients.end()) {
    return it->second.get();
  }
  const plan::CreatorCredential* c = nullptr;
  for (const auto& candidate : plan.credentials) {
    if (candidate.fingerprint == fingerprint) {
      c = &candidate;
    }
  }
  if (c == nullptr) {
    return make_error(ErrorCode::invalid_argument, "the plan names no credential " + fingerprint);
  }
  std::optional<cloudflare::Credentials> credentials;
  if (c->source.rfind("env:", 0) == 0) {
    if (!m_options.credentials || m_options.credentials->secret().fingerprint() != fingerprint) {
      return make_error(ErrorCode::auth, "the plan was made with " + c->source + " (" + fingerprint
                                             + "); set the same credential in the environment");
    }
    credentials = m_options.credentials->clone();
  } else {
    // "path:line": read the key back from the file, or from its backup once rewritten.
    std::string path = c->source.substr(0, c->source.rfind(':'));
    std::vector<std::string> candidates;
    if (m_store) {
      auto records = m_store->list();
      if (records) {
        for (const auto& r : *records) {
          if (r.original_path == real_path(plan, path)) {
            auto content = m_store->read_content(r);
            if (content) {
              candidates.push_back(std::move(*content));
            }
          }
        }
      }
    }
    // Through the anchored walk, like every read of a file apply mutates: a user who swapped the
    // file for a link, a FIFO or /dev/zero must not make root read elsewhere, block or flood.
    if (auto current = read_credential_file(plan, path); current) {
      candidates.push_back(std::move(*current));
    }
    for (const auto& content : candidates) {
      scan::DetectStats stats;
      for (auto& f : scan::detect(index, path, content, stats)) {
        if (f.fingerprint == fingerprint && f.credential == scan::Credential::global_key) {
          credentials = cloudflare::Credentials(cloudflare::GlobalKey{c->email, f.value.clone()});
          break;
        }
      }
      if (credentials) {
        break;
      }
    }
    if (!credentials) {
      return make_error(ErrorCode::not_found, "the Global key " + fingerprint + " is no longer in " + path
                                                  + " nor in a backup; set CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY");
    }
  }
  CFM_TRY(std::unique_ptr<cloudflare::Client> client, cloudflare::Client::create(m_client, std::move(*credentials)));
  cloudflare::Client* raw = client.get();
  m_clients[fingerprint] = std::move(client);
  return raw;
}

} // namespace cfmigrate::exec
