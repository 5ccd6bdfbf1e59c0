// Building the State from the seed JSON and the permission-group list (docs/emulator.md).
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/emulator/state.hpp>

#include <cfmigrate/util/rfc3339.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

Result<std::string> req_string(const json::object& o, std::string_view key, std::string_view where)
{
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return make_error(ErrorCode::parse, "seed: " + std::string(where) + " needs a string '" + std::string(key) + "'");
  }
  return std::string(v->as_string());
}

Result<json::value> read_json_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::io, "cannot read file", path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(ss.str(), ec);
  if (ec) {
    return make_error(ErrorCode::parse, "not valid JSON (" + ec.message() + ")", path);
  }
  return v;
}

// A seed collection: the array under `key`, or none when absent (every collection is optional).
const json::array* seed_array(const json::object& seed, std::string_view key)
{
  const json::value* v = seed.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

Status read_permission_groups(const json::value& doc, State& st)
{
  const json::array* groups = nullptr;
  if (doc.is_array()) {
    groups = &doc.as_array();
  } else if (doc.is_object() && doc.as_object().contains("permission_groups") && doc.as_object().at("permission_groups").is_array()) {
    groups = &doc.as_object().at("permission_groups").as_array();
  }
  if (groups == nullptr) {
    return make_error(ErrorCode::parse, "permission groups: expected an array or {\"permission_groups\": [...]}");
  }
  for (const json::value& g : *groups) {
    if (!g.is_object()) {
      continue;
    }
    const json::object& o = g.as_object();
    PermissionGroupRecord rec;
    CFM_TRY(rec.id, req_string(o, "id", "permission group"));
    rec.name = o.contains("name") && o.at("name").is_string() ? std::string(o.at("name").as_string()) : rec.id;
    if (o.contains("scope") && o.at("scope").is_string()) {
      rec.scope = std::string(o.at("scope").as_string());
    } else if (o.contains("scopes") && o.at("scopes").is_array() && !o.at("scopes").as_array().empty()
               && o.at("scopes").as_array()[0].is_string()) {
      rec.scope = std::string(o.at("scopes").as_array()[0].as_string());
    }
    st.permission_groups.push_back(std::move(rec));
  }
  return {};
}

Status read_accounts(const json::array& accounts, State& st)
{
  for (const json::value& a : accounts) {
    if (!a.is_object()) {
      return make_error(ErrorCode::parse, "seed: accounts[] entries must be objects");
    }
    AccountRecord rec;
    CFM_TRY(rec.id, req_string(a.as_object(), "id", "account"));
    CFM_TRY(rec.name, req_string(a.as_object(), "name", "account " + rec.id));
    st.accounts.push_back(std::move(rec));
  }
  return {};
}

Status read_users(const json::array& users, State& st)
{
  for (const json::value& u : users) {
    if (!u.is_object()) {
      return make_error(ErrorCode::parse, "seed: users[] entries must be objects");
    }
    const json::object& o = u.as_object();
    UserRecord rec;
    CFM_TRY(rec.id, req_string(o, "id", "user"));
    CFM_TRY(rec.email, req_string(o, "email", "user " + rec.id));
    CFM_TRY(std::string key, req_string(o, "global_key", "user " + rec.id));
    rec.global_key = Secret(key);
    std::fill(key.begin(), key.end(), '\0');
    if (const json::value* acc = o.if_contains("accounts"); acc != nullptr && acc->is_array()) {
      for (const json::value& id : acc->as_array()) {
        if (!id.is_string() || st.find_account(id.as_string()) == nullptr) {
          return make_error(ErrorCode::invalid_argument, "seed: user " + rec.id + " names an unknown account");
        }
        rec.accounts.emplace_back(id.as_string());
      }
    }
    st.users.push_back(std::move(rec));
  }
  return {};
}

Status read_zones(const json::array& zones, State& st)
{
  for (const json::value& z : zones) {
    if (!z.is_object()) {
      return make_error(ErrorCode::parse, "seed: zones[] entries must be objects");
    }
    ZoneRecord rec;
    CFM_TRY(rec.id, req_string(z.as_object(), "id", "zone"));
    CFM_TRY(rec.name, req_string(z.as_object(), "name", "zone " + rec.id));
    CFM_TRY(rec.account_id, req_string(z.as_object(), "account", "zone " + rec.id));
    if (st.find_account(rec.account_id) == nullptr) {
      return make_error(ErrorCode::invalid_argument, "seed: zone " + rec.name + " names an unknown account");
    }
    if (const json::value* status = z.as_object().if_contains("status"); status != nullptr && status->is_string()) {
      rec.status = std::string(status->as_string());
    }
    st.zones.push_back(std::move(rec));
  }
  return {};
}

// Seed policies are taken as given (no validation: a seed may hold what the API would refuse).
PolicyRecord read_seed_policy(const json::object& p)
{
  PolicyRecord pr;
  pr.id = random_hex(16);
  pr.allow = !(p.contains("effect") && p.at("effect") == "deny");
  if (const json::value* g = p.if_contains("permission_groups"); g != nullptr && g->is_array()) {
    for (const json::value& gi : g->as_array()) {
      if (gi.is_object() && gi.as_object().contains("id") && gi.as_object().at("id").is_string()) {
        pr.permission_groups.emplace_back(gi.as_object().at("id").as_string());
      }
    }
  }
  if (const json::value* r = p.if_contains("resources"); r != nullptr && r->is_object()) {
    pr.resources = r->as_object();
  }
  return pr;
}

Status read_tokens(const json::array& tokens, State& st)
{
  for (const json::value& t : tokens) {
    if (!t.is_object()) {
      return make_error(ErrorCode::parse, "seed: tokens[] entries must be objects");
    }
    const json::object& o = t.as_object();
    TokenRecord rec;
    CFM_TRY(rec.name, req_string(o, "name", "token"));
    CFM_TRY(rec.owner_user, req_string(o, "user", "token " + rec.name));
    if (st.find_user(rec.owner_user) == nullptr) {
      return make_error(ErrorCode::invalid_argument, "seed: token " + rec.name + " names an unknown user");
    }
    CFM_TRY(std::string value, req_string(o, "value", "token " + rec.name));
    rec.value_sha256 = sha256_hex(value);
    std::fill(value.begin(), value.end(), '\0');
    rec.id = o.contains("id") && o.at("id").is_string() ? std::string(o.at("id").as_string()) : random_hex(16);
    if (o.contains("account") && o.at("account").is_string()) {
      rec.owner_account = std::string(o.at("account").as_string());
    }
    if (const json::value* policies = o.if_contains("policies"); policies != nullptr && policies->is_array()) {
      for (const json::value& p : policies->as_array()) {
        if (p.is_object()) {
          rec.policies.push_back(read_seed_policy(p.as_object()));
        }
      }
    }
    rec.issued_on = format_rfc3339(std::chrono::system_clock::now());
    rec.modified_on = rec.issued_on;
    st.tokens.push_back(std::move(rec));
  }
  return {};
}

} // namespace

Result<State> State::load(const std::string& seed_path, const std::string& permission_groups_path)
{
  CFM_TRY(json::value seed, read_json_file(seed_path));
  CFM_TRY(json::value groups, read_json_file(permission_groups_path));
  auto state = from_json(seed, groups);
  if (!state) {
    Error e = state.error();
    return make_error(e.code(), e.message(), seed_path);
  }
  return state;
}

// Accounts before users and zones, users before tokens: later entries refer to earlier ones.
Result<State> State::from_json(const json::value& seed, const json::value& groups_doc)
{
  State st;
  CFM_TRY_STATUS(read_permission_groups(groups_doc, st));
  if (!seed.is_object()) {
    return make_error(ErrorCode::parse, "seed: expected a JSON object with users, accounts and zones");
  }
  const json::object& s = seed.as_object();
  if (const json::array* accounts = seed_array(s, "accounts")) {
    CFM_TRY_STATUS(read_accounts(*accounts, st));
  }
  if (const json::array* users = seed_array(s, "users")) {
    CFM_TRY_STATUS(read_users(*users, st));
  }
  if (const json::array* zones = seed_array(s, "zones")) {
    CFM_TRY_STATUS(read_zones(*zones, st));
  }
  if (const json::array* tokens = seed_array(s, "tokens")) {
    CFM_TRY_STATUS(read_tokens(*tokens, st));
  }
  return st;
}

} // namespace cfmigrate::emulator
