// The authorization decision: which policies of a token apply to a resource, and whether the
// caller may reach the resource at all.
#include <cfmigrate/emulator/state.hpp>

#include <algorithm>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view k_zone_scope = "com.cloudflare.api.account.zone";
constexpr std::string_view k_account_scope = "com.cloudflare.api.account";
constexpr std::string_view k_user_scope = "com.cloudflare.api.user";
constexpr std::string_view k_zone_prefix = "com.cloudflare.api.account.zone.";
constexpr std::string_view k_account_prefix = "com.cloudflare.api.account.";
constexpr std::string_view k_user_prefix = "com.cloudflare.api.user.";

bool key_matches_zone(std::string_view key, const json::value& value, std::string_view zone_id, std::string_view account_id)
{
  if (key.substr(0, k_zone_prefix.size()) == k_zone_prefix) {
    const std::string_view rest = key.substr(k_zone_prefix.size());
    return value.is_string() && (rest == "*" || rest == zone_id);
  }
  if (key.substr(0, k_account_prefix.size()) == k_account_prefix && value.is_object()) {
    const std::string_view acc = key.substr(k_account_prefix.size());
    if (acc != "*" && acc != account_id) {
      return false;
    }
    for (const auto& kv : value.as_object()) {
      const std::string_view inner = kv.key();
      if (inner.substr(0, k_zone_prefix.size()) == k_zone_prefix) {
        const std::string_view rest = inner.substr(k_zone_prefix.size());
        if (rest == "*" || rest == zone_id) {
          return true;
        }
      }
    }
  }
  return false;
}

bool key_matches_account(std::string_view key, const json::value& value, std::string_view account_id)
{
  if (key.substr(0, k_zone_prefix.size()) == k_zone_prefix || key.substr(0, k_account_prefix.size()) != k_account_prefix) {
    return false;
  }
  const std::string_view acc = key.substr(k_account_prefix.size());
  return value.is_string() && (acc == "*" || acc == account_id);
}

bool key_matches_user(std::string_view key, std::string_view user_id)
{
  return key.substr(0, k_user_prefix.size()) == k_user_prefix && key.substr(k_user_prefix.size()) == user_id;
}

bool policy_names_resource(const PolicyRecord& policy, const Resource& what)
{
  for (const auto& kv : policy.resources) {
    const bool hit = what.kind == Resource::Kind::zone      ? key_matches_zone(kv.key(), kv.value(), what.id, what.account_id)
                     : what.kind == Resource::Kind::account ? key_matches_account(kv.key(), kv.value(), what.id)
                                                            : key_matches_user(kv.key(), what.id);
    if (hit) {
      return true;
    }
  }
  return false;
}

std::string_view scope_of(Resource::Kind kind)
{
  switch (kind) {
  case Resource::Kind::zone:
    return k_zone_scope;
  case Resource::Kind::account:
    return k_account_scope;
  case Resource::Kind::user:
    break;
  }
  return k_user_scope;
}

// The caller's own reach: the user's accounts and zones (and for an account token, its account).
bool within_reach(const State& state, const Principal& who, const Resource& what)
{
  if (who.user == nullptr) {
    return false;
  }
  const bool account_owned_token = who.token != nullptr && !who.token->owner_account.empty();
  if (what.kind == Resource::Kind::user) {
    return what.id == who.user->id && !account_owned_token;
  }
  const std::string& account_id = what.kind == Resource::Kind::zone ? what.account_id : what.id;
  return state.user_in_account(*who.user, account_id) && !(account_owned_token && who.token->owner_account != account_id);
}

} // namespace

bool State::allowed(const Principal& who, const std::set<std::string>& groups, const Resource& what) const
{
  if (!within_reach(*this, who, what)) {
    return false;
  }
  if (who.is_global_key()) {
    return true;
  }
  const std::string_view scope = scope_of(what.kind);
  bool allow = false;
  for (const PolicyRecord& policy : who.token->policies) {
    const bool group_hit = std::any_of(policy.permission_groups.begin(), policy.permission_groups.end(), [&](const std::string& gid) {
      const PermissionGroupRecord* g = find_group(gid);
      return groups.count(gid) != 0 && g != nullptr && g->scope == scope;
    });
    if (!group_hit || !policy_names_resource(policy, what)) {
      continue;
    }
    if (!policy.allow) {
      return false; // an explicit deny wins
    }
    allow = true;
  }
  return allow;
}

bool State::token_sees_zone(const TokenRecord& token, const ZoneRecord& zone) const
{
  std::set<std::string> zone_groups;
  for (const PolicyRecord& p : token.policies) {
    for (const std::string& gid : p.permission_groups) {
      const PermissionGroupRecord* g = find_group(gid);
      if (g != nullptr && g->scope == k_zone_scope) {
        zone_groups.insert(gid);
      }
    }
  }
  const UserRecord* owner = find_user(token.owner_user);
  if (owner == nullptr || zone_groups.empty()) {
    return false;
  }
  Principal who{owner, &token};
  for (const std::string& gid : zone_groups) {
    if (allowed(who, {gid}, Resource{Resource::Kind::zone, zone.id, zone.account_id})) {
      return true;
    }
  }
  return false;
}

} // namespace cfmigrate::emulator
