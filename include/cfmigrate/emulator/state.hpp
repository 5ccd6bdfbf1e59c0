#pragma once
// The emulator's world: users, accounts, zones, permission groups, API tokens and DNS records,
// seeded from JSON (docs/emulator.md). Token values are never stored: only their SHA-256.
// Authentication and authorization (per token policy) are decided here.

#include <cfmigrate/util/result.hpp>
#include <cfmigrate/util/secret.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::emulator {

struct UserRecord {
  std::string id;
  std::string email;
  Secret global_key;
  std::vector<std::string> accounts;
};

struct AccountRecord {
  std::string id;
  std::string name;
};

struct ZoneRecord {
  std::string id;
  std::string name;
  std::string account_id;
  std::string status = "active";
};

struct PermissionGroupRecord {
  std::string id;
  std::string name;
  std::string scope; // com.cloudflare.api.account.zone | .account | .user | com.cloudflare.edge.r2.bucket
};

struct PolicyRecord {
  std::string id;
  bool allow = true;
  std::vector<std::string> permission_groups;
  boost::json::object resources;
};

struct TokenRecord {
  std::string id;
  std::string name;
  std::string status = "active";
  std::string owner_user;    // the user who owns it (user token) or created it (account token)
  std::string owner_account; // non-empty for account-owned tokens
  std::string value_sha256;
  std::vector<PolicyRecord> policies;
  std::string condition_key; // "request.ip" or "request_ip" as received; empty: no condition
  std::vector<std::string> ip_in;
  std::vector<std::string> ip_not_in;
  std::optional<std::string> not_before;
  std::optional<std::string> expires_on;
  std::string issued_on;
  std::string modified_on;
  std::optional<std::string> last_used_on;
  std::chrono::steady_clock::time_point valid_from{}; // propagation delay
};

struct DnsRecord {
  std::string id;
  std::string zone_id;
  std::string type;
  std::string name;
  std::string content;
};

// Who is calling.
struct Principal {
  const UserRecord* user = nullptr; // for a Global key; for a token, its owner user
  const TokenRecord* token = nullptr; // null for a Global key
  bool is_global_key() const { return token == nullptr; }
};

// What is being touched.
struct Resource {
  enum class Kind { zone, account, user } kind = Kind::zone;
  std::string id;
  std::string account_id; // for zones: the zone's account
};

class State {
public:
  // Parses the seed and the permission-group file (data/permission_groups.json format: an object
  // with "permission_groups":[{id,name,scope}] or a plain array). parse / invalid_argument errors
  // name the offending entry.
  [[nodiscard]] static Result<State> from_json(const boost::json::value& seed, const boost::json::value& permission_groups);
  [[nodiscard]] static Result<State> load(const std::string& seed_path, const std::string& permission_groups_path);

  std::vector<UserRecord> users;
  std::vector<AccountRecord> accounts;
  std::vector<ZoneRecord> zones;
  std::vector<PermissionGroupRecord> permission_groups;
  std::vector<TokenRecord> tokens;
  std::vector<DnsRecord> dns_records;

  const UserRecord* find_user_by_email(std::string_view email) const;
  const UserRecord* find_user(std::string_view id) const;
  const AccountRecord* find_account(std::string_view id) const;
  const ZoneRecord* find_zone(std::string_view id) const;
  const PermissionGroupRecord* find_group(std::string_view id) const;
  TokenRecord* find_token_by_value(const Secret& value);
  TokenRecord* find_token(std::string_view id);
  // Ids of the groups with one of these names (any scope).
  std::set<std::string> group_ids(std::initializer_list<std::string_view> names) const;

  // Whether the user is a member of the account.
  bool user_in_account(const UserRecord& user, std::string_view account_id) const;

  // The authorization decision: may `who` use one of `groups` on `what`? A Global key may do
  // anything on its user's accounts and zones. A token: explicit deny wins, then explicit allow,
  // else deny; a group only applies to resources of its own scope.
  bool allowed(const Principal& who, const std::set<std::string>& groups, const Resource& what) const;
  // Whether any allow policy of the token applies to the zone with a zone-scoped group.
  bool token_sees_zone(const TokenRecord& token, const ZoneRecord& zone) const;

  // The state as the admin endpoint shows it: tokens with policies, conditions and status, never
  // values or hashes.
  boost::json::value to_admin_json() const;
  // A token as the API returns it (without value).
  boost::json::value token_json(const TokenRecord& token) const;
};

// SHA-256 hex of a secret value (how the state remembers token values).
std::string hash_secret(const Secret& value);
// A new token value: 40 characters [A-Za-z0-9_-].
Secret random_token_value();
// CIDR check: `ip` (v4 or v6 literal) inside `cidr`. false for malformed input.
bool ip_in_cidr(std::string_view ip, std::string_view cidr);
bool is_valid_cidr(std::string_view cidr);

} // namespace cfmigrate::emulator
