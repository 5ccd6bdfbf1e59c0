#include <cfmigrate/exec/token_deletion.hpp>

#include <cfmigrate/util/rfc3339.hpp>

#include <algorithm>
#include <chrono>

namespace cfmigrate::exec {

namespace json = boost::json;

Result<std::set<std::string>> token_ids_of_other_migrations(const StateDir& state, const std::string& plan_id)
{
  std::set<std::string> ids;
  CFM_TRY(std::vector<std::string> migrations, state.list_migrations());
  for (const std::string& other : migrations) {
    if (other == plan_id) {
      continue;
    }
    CFM_TRY(MigrationPaths paths, state.migration(other));
    auto summary = read_summary(paths);
    if (!summary) {
      // A migration whose journal cannot be read may own any token: look up nothing by name.
      return make_error(ErrorCode::conflict, "cannot tell which tokens migration " + other
                                               + " owns (" + summary.error().message() + ")");
    }
    for (const TokenRecord& t : summary->tokens) {
      if (!t.id.empty()) {
        ids.insert(t.id);
      }
    }
  }
  return ids;
}

namespace {

// Whether the API says `token` was issued after the journal's intent to create it.
bool issued_after(const cloudflare::Token& token, const std::string& intent_time)
{
  const auto intent = parse_rfc3339(intent_time);
  const auto issued = token.issued_on ? parse_rfc3339(*token.issued_on) : std::nullopt;
  return intent && issued && *issued + std::chrono::seconds(k_token_clock_skew_seconds) >= *intent;
}

} // namespace

Result<std::vector<std::string>> attributable_token_ids(cloudflare::Client& client, const TokenRecord& record,
                                                        const std::set<std::string>& recorded_elsewhere)
{
  std::vector<std::string> ids;
  if (!record.id.empty()) {
    ids.push_back(record.id);
    return ids;
  }
  if (record.name.empty() || record.intent_time.empty()) {
    return ids; // nothing to attribute a token to
  }
  CFM_TRY(std::vector<cloudflare::Token> found, client.find_tokens_by_name(cloudflare::TokenOwner::user(), record.name));
  for (const auto& f : found) {
    if (issued_after(f, record.intent_time) && recorded_elsewhere.count(f.id) == 0
        && std::find(ids.begin(), ids.end(), f.id) == ids.end()) {
      ids.push_back(f.id);
    }
  }
  return ids;
}

Result<unsigned> delete_token_ids(const TokenDeletion& how, const TokenRecord& record, const std::vector<std::string>& ids)
{
  unsigned deleted = 0;
  for (const auto& id : ids) {
    CFM_TRY_STATUS(how.journal(json::object{{"type", "token_delete_intent"}, {"token", record.key}, {"id", id}}));
    CFM_TRY_STATUS(how.faults.visit("token_delete"));
    how.log("delete token " + record.name + " (" + id + ")");
    if (!how.dry_run) {
      Status gone = how.client.delete_token(cloudflare::TokenOwner::user(), id);
      if (!gone && gone.error().code() != ErrorCode::not_found) {
        return gone.error();
      }
    }
    ++deleted;
    CFM_TRY_STATUS(how.journal(json::object{{"type", "token_deleted"}, {"token", record.key}, {"id", id}}));
  }
  return deleted;
}

} // namespace cfmigrate::exec
