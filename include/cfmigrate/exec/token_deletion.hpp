#pragma once
// Which tokens a migration may delete, and deleting them with the journal written first.
//
// A token is deleted by the id the journal recorded, never by name (issue 12, finding 3): two
// migrations can share a host name. Only when the journal holds a create's intent and not its
// outcome is the API asked for tokens by name, and then only those with exactly that name (which
// carries the apply's run id), issued after the intent, and recorded by no other migration in the
// state dir.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/exec/fault_injection.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace cfmigrate::exec {

// How far the API's clock may lag ours when a token's issue time is compared with the journal's
// intent time.
inline constexpr int k_token_clock_skew_seconds = 120;

// The token ids every migration in `state` except `plan_id` has journalled.
[[nodiscard]] Result<std::set<std::string>> token_ids_of_other_migrations(const StateDir& state, const std::string& plan_id);

// The ids of the token `record` this migration may have created (see above).
[[nodiscard]] Result<std::vector<std::string>> attributable_token_ids(cloudflare::Client& client, const TokenRecord& record,
                                                                      const std::set<std::string>& recorded_elsewhere);

// Deletes each id: journals "token_delete_intent", deletes (a token already gone counts as
// deleted), journals "token_deleted". `journal` appends a record (or logs it in a dry run) and
// `dry_run` skips the API call. Returns how many were deleted.
struct TokenDeletion {
  cloudflare::Client& client;
  FaultInjector& faults;
  std::function<Status(boost::json::object)> journal;
  std::function<void(const std::string&)> log;
  bool dry_run = false;
};
[[nodiscard]] Result<unsigned> delete_token_ids(const TokenDeletion& how, const TokenRecord& record,
                                                const std::vector<std::string>& ids);

} // namespace cfmigrate::exec
