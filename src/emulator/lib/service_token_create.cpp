// POST /user/tokens and POST /accounts/{account_id}/tokens: the quota, then the body checked the
// way Cloudflare does (name, policies with groups and resources of matching scope, IP condition,
// dates); the new token's value appears only in this response.
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/emulator/service.hpp>

#include "service_call.hpp"

#include <cfmigrate/util/rfc3339.hpp>

#include <boost/json/parse.hpp>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view k_zone_prefix = "com.cloudflare.api.account.zone.";
constexpr std::string_view k_account_prefix = "com.cloudflare.api.account.";
constexpr std::string_view k_user_prefix = "com.cloudflare.api.user.";
constexpr std::string_view k_r2_prefix = "com.cloudflare.edge.r2.bucket.";
constexpr std::size_t k_user_token_quota = 50;
constexpr std::size_t k_account_token_quota = 500;

bool starts_with(std::string_view s, std::string_view prefix)
{
  return s.substr(0, prefix.size()) == prefix;
}

bool is_star(const json::value& v)
{
  return v.is_string() && v.as_string() == "*";
}

// Reads a create-token body into a TokenRecord; each check answers the first problem it finds.
class TokenRequest {
public:
  TokenRequest(const State& state, const UserRecord& user, const TokenOwner& owner)
    : m_state(state), m_user(user), m_owner(owner)
  {
  }

  Refusal read(const json::object& body, std::chrono::system_clock::time_point now, TokenRecord& token) const
  {
    const json::value* name = body.if_contains("name");
    if (name == nullptr || !name->is_string() || name->as_string().empty() || name->as_string().size() > 120) {
      return fail(400, api_error::bad_body, "name is required and must be at most 120 characters");
    }
    token.name = std::string(name->as_string());
    const json::value* policies = body.if_contains("policies");
    if (policies == nullptr || !policies->is_array() || policies->as_array().empty()) {
      return fail(400, api_error::bad_policy, "policies must be a non-empty array");
    }
    std::size_t index = 0;
    for (const json::value& policy : policies->as_array()) {
      const std::string where = "policies[" + std::to_string(index++) + "]";
      PolicyRecord record;
      if (Refusal refusal = read_policy(policy, where, record)) {
        return refusal;
      }
      token.policies.push_back(std::move(record));
    }
    if (const json::value* condition = body.if_contains("condition"); condition != nullptr && !condition->is_null()) {
      if (Refusal refusal = read_condition(*condition, token)) {
        return refusal;
      }
    }
    return read_dates(body, now, token);
  }

private:
  Refusal read_policy(const json::value& policy, const std::string& where, PolicyRecord& record) const
  {
    if (!policy.is_object()) {
      return fail(400, api_error::bad_policy, where + " must be an object");
    }
    const json::object& po = policy.as_object();
    record.id = random_hex(16);
    const json::value* effect = po.if_contains("effect");
    if (effect == nullptr || !effect->is_string() || (effect->as_string() != "allow" && effect->as_string() != "deny")) {
      return fail(400, api_error::bad_policy, where + ".effect must be allow or deny");
    }
    record.allow = effect->as_string() == "allow";
    if (Refusal refusal = read_groups(po.if_contains("permission_groups"), where, record)) {
      return refusal;
    }
    const json::value* resources = po.if_contains("resources");
    if (resources == nullptr || !resources->is_object() || resources->as_object().empty()) {
      return fail(400, api_error::bad_resource, where + ".resources must be a non-empty object");
    }
    std::set<std::string> resource_scopes;
    for (const auto& kv : resources->as_object()) {
      if (Refusal refusal = read_resource(kv.key(), kv.value(), where, resource_scopes)) {
        return refusal;
      }
    }
    // Every group must apply to some resource of the policy (a zone group to a zone, ...).
    for (const std::string& gid : record.permission_groups) {
      const PermissionGroupRecord* rec = m_state.find_group(gid);
      if (resource_scopes.count(rec->scope) == 0) {
        return fail(400, api_error::bad_group, "Permission group " + gid + " (" + rec->name + ", scope " + rec->scope
                                                 + ") does not apply to any resource of " + where);
      }
    }
    record.resources = resources->as_object();
    return std::nullopt;
  }

  Refusal read_groups(const json::value* groups, const std::string& where, PolicyRecord& record) const
  {
    if (groups == nullptr || !groups->is_array() || groups->as_array().empty()) {
      return fail(400, api_error::bad_policy, where + ".permission_groups must be a non-empty array");
    }
    for (const json::value& g : groups->as_array()) {
      if (!g.is_object() || !g.as_object().contains("id") || !g.as_object().at("id").is_string()) {
        return fail(400, api_error::bad_group, where + ".permission_groups[] needs an id");
      }
      const std::string gid(g.as_object().at("id").as_string());
      const PermissionGroupRecord* rec = m_state.find_group(gid);
      if (rec == nullptr) {
        return fail(400, api_error::bad_group, "Permission group " + gid + " does not exist");
      }
      if (m_owner.is_account() && rec->scope == "com.cloudflare.api.user") {
        return fail(400, api_error::bad_group, "Permission group " + gid + " cannot be used by an account-owned token");
      }
      record.permission_groups.push_back(gid);
    }
    return std::nullopt;
  }

  // One resource key; adds the scope of the groups it can carry to `scopes`.
  Refusal read_resource(std::string_view key, const json::value& value, const std::string& where,
                        std::set<std::string>& scopes) const
  {
    const std::string k(key);
    auto bad = [&](const std::string& why) { return fail(400, api_error::bad_resource, where + ".resources: " + why + ": " + k); };
    if (starts_with(k, k_zone_prefix)) {
      if (!is_star(value)) {
        return bad("value must be \"*\"");
      }
      if (!may_name_zone(k.substr(k_zone_prefix.size()))) {
        return bad("unknown zone");
      }
      scopes.insert("com.cloudflare.api.account.zone");
    } else if (starts_with(k, k_account_prefix)) {
      return read_account_resource(k.substr(k_account_prefix.size()), value, bad, scopes);
    } else if (starts_with(k, k_user_prefix)) {
      if (m_owner.is_account() || k.substr(k_user_prefix.size()) != m_user.id || !is_star(value)) {
        return bad("only the calling user can be named");
      }
      scopes.insert("com.cloudflare.api.user");
    } else if (starts_with(k, k_r2_prefix)) {
      scopes.insert("com.cloudflare.edge.r2.bucket");
    } else {
      return bad("unknown resource type");
    }
    return std::nullopt;
  }

  // "...account.<id>": "*" for the account itself, or an object of zone keys for zones in it.
  template<typename Bad>
  Refusal read_account_resource(const std::string& id, const json::value& value, const Bad& bad,
                                std::set<std::string>& scopes) const
  {
    if (id != "*" && (m_state.find_account(id) == nullptr || !m_state.user_in_account(m_user, id)
                      || (m_owner.is_account() && id != m_owner.account_id))) {
      return bad("unknown account");
    }
    if (value.is_string()) {
      if (value.as_string() != "*") {
        return bad("value must be \"*\"");
      }
      scopes.insert("com.cloudflare.api.account");
      return std::nullopt;
    }
    if (!value.is_object() || value.as_object().empty()) {
      return bad("value must be \"*\" or an object of zone keys");
    }
    for (const auto& inner : value.as_object()) {
      const std::string ik(inner.key());
      if (!starts_with(ik, k_zone_prefix) || !is_star(inner.value())) {
        return bad("nested resources must be zone keys with value \"*\"");
      }
      const std::string zid = ik.substr(k_zone_prefix.size());
      if (zid != "*") {
        const ZoneRecord* z = m_state.find_zone(zid);
        if (z == nullptr || (id != "*" && z->account_id != id)) {
          return bad("zone is not in that account");
        }
      }
    }
    scopes.insert("com.cloudflare.api.account.zone");
    return std::nullopt;
  }

  bool may_name_zone(const std::string& id) const
  {
    if (id == "*") {
      return true;
    }
    const ZoneRecord* z = m_state.find_zone(id);
    return z != nullptr && m_state.user_in_account(m_user, z->account_id)
           && !(m_owner.is_account() && z->account_id != m_owner.account_id);
  }

  static Refusal read_condition(const json::value& condition, TokenRecord& token)
  {
    if (!condition.is_object()) {
      return fail(400, api_error::bad_condition, "condition must be an object");
    }
    for (const auto& kv : condition.as_object()) {
      if (kv.key() != "request.ip" && kv.key() != "request_ip") {
        return fail(400, api_error::bad_condition, "condition: unknown key " + std::string(kv.key()));
      }
      if (!token.condition_key.empty()) {
        return fail(400, api_error::bad_condition, "condition: give request.ip once");
      }
      token.condition_key = std::string(kv.key());
      if (Refusal refusal = read_ip_lists(kv.value(), token)) {
        return refusal;
      }
    }
    return std::nullopt;
  }

  static Refusal read_ip_lists(const json::value& lists, TokenRecord& token)
  {
    if (!lists.is_object()) {
      return fail(400, api_error::bad_condition, "condition." + token.condition_key + " must be an object");
    }
    for (const auto& list : lists.as_object()) {
      if ((list.key() != "in" && list.key() != "not_in") || !list.value().is_array()) {
        return fail(400, api_error::bad_condition, "condition." + token.condition_key + " takes arrays in and not_in");
      }
      std::vector<std::string>& dst = list.key() == "in" ? token.ip_in : token.ip_not_in;
      for (const json::value& c : list.value().as_array()) {
        if (!c.is_string() || !is_valid_cidr(c.as_string())) {
          return fail(400, api_error::bad_condition, "condition: every entry must be in CIDR notation (e.g. 192.0.2.1/32)");
        }
        dst.emplace_back(c.as_string());
      }
    }
    if (token.ip_in.empty() && token.ip_not_in.empty()) {
      return fail(400, api_error::bad_condition, "condition." + token.condition_key + " must not be empty");
    }
    return std::nullopt;
  }

  static Refusal read_dates(const json::object& body, std::chrono::system_clock::time_point now, TokenRecord& token)
  {
    std::optional<std::chrono::system_clock::time_point> not_before, expires_on;
    for (const char* field : {"not_before", "expires_on"}) {
      if (const json::value* d = body.if_contains(field); d != nullptr && !d->is_null()) {
        auto tp = d->is_string() ? parse_rfc3339(d->as_string()) : std::nullopt;
        if (!tp) {
          return fail(400, api_error::bad_date, std::string(field) + " must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z");
        }
        const bool is_not_before = std::string_view(field) == "not_before";
        (is_not_before ? not_before : expires_on) = tp;
        (is_not_before ? token.not_before : token.expires_on) = format_rfc3339(*tp);
      }
    }
    if (expires_on && *expires_on <= now) {
      return fail(400, api_error::bad_date, "expires_on must be in the future");
    }
    if (expires_on && not_before && *expires_on <= *not_before) {
      return fail(400, api_error::bad_date, "expires_on must be after not_before");
    }
    return std::nullopt;
  }

  const State& m_state;
  const UserRecord& m_user;
  const TokenOwner& m_owner;
};

} // namespace

Response Service::create_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  const UserRecord& user = call.user();
  if (!m_state.allowed(call.who, owner.write_groups, owner.resource)) {
    return forbidden();
  }
  const auto owned = static_cast<std::size_t>(
    std::count_if(m_state.tokens.begin(), m_state.tokens.end(), [&](const TokenRecord& t) { return owner.owns(t, user); }));
  if (owned >= (owner.is_account() ? k_account_token_quota : k_user_token_quota)) {
    return fail(400, api_error::quota, "Token quota reached");
  }
  boost::system::error_code ec;
  const json::value body = json::parse(call.request.body, ec);
  if (ec || !body.is_object()) {
    return fail(400, api_error::bad_body, "Invalid request body: expected a JSON object");
  }
  TokenRecord token;
  if (Refusal refusal = TokenRequest(m_state, user, owner).read(body.as_object(), call.now_wall, token)) {
    return *refusal;
  }
  token.id = random_hex(16);
  token.owner_user = user.id;
  token.owner_account = owner.account_id;
  token.issued_on = format_rfc3339(call.now_wall);
  token.modified_on = token.issued_on;
  token.valid_from = m_clock->now() + std::chrono::seconds(m_options.faults.token_propagation_seconds);
  Secret value = random_token_value();
  token.value_sha256 = hash_secret(value);
  json::value result = m_state.token_json(token);
  result.as_object()["value"] = value.expose_secret_value_for_use_in_credential_slot();
  m_state.tokens.push_back(std::move(token));
  (void)save_state();
  return ok(std::move(result));
}

} // namespace cfmigrate::emulator
