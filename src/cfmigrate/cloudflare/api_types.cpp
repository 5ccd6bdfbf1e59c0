#include <cfmigrate/cloudflare/api_types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <openssl/crypto.h>

namespace cfmigrate::cloudflare {

namespace json = boost::json;

namespace {

Error field_error(std::string_view what, std::string_view field)
{
  return make_error(ErrorCode::parse, "API " + std::string(what) + ": missing or mistyped field '" + std::string(field) + "'");
}

std::optional<std::string> opt_string(const json::object& o, std::string_view key)
{
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return std::string(v->as_string());
}

long long number_or(const json::object& o, std::string_view key, long long fallback)
{
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    return fallback;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64()) {
    return static_cast<long long>(v->as_uint64());
  }
  if (v->is_double()) {
    return static_cast<long long>(v->as_double());
  }
  return fallback;
}

std::vector<ApiMessage> messages_from(const json::object& o, std::string_view key)
{
  std::vector<ApiMessage> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    return out;
  }
  for (const json::value& item : v->as_array()) {
    if (!item.is_object()) {
      continue;
    }
    ApiMessage m;
    m.code = number_or(item.as_object(), "code", 0);
    m.message = opt_string(item.as_object(), "message").value_or("");
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> strings_from(const json::value* v)
{
  std::vector<std::string> out;
  if (v == nullptr || !v->is_array()) {
    return out;
  }
  for (const json::value& s : v->as_array()) {
    if (s.is_string()) {
      out.emplace_back(s.as_string());
    }
  }
  return out;
}

std::optional<IpCondition> condition_from(const json::object& token)
{
  const json::value* cond = token.if_contains("condition");
  if (cond == nullptr || !cond->is_object()) {
    return std::nullopt;
  }
  const json::value* ip = cond->as_object().if_contains("request.ip");
  if (ip == nullptr) {
    ip = cond->as_object().if_contains("request_ip");
  }
  if (ip == nullptr || !ip->is_object()) {
    return std::nullopt;
  }
  IpCondition c;
  c.in = strings_from(ip->as_object().if_contains("in"));
  c.not_in = strings_from(ip->as_object().if_contains("not_in"));
  return c;
}

} // namespace

const char* to_string(Effect effect)
{
  return effect == Effect::allow ? "allow" : "deny";
}

Result<Envelope> parse_envelope(std::string_view body)
{
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    return make_error(ErrorCode::parse, "API response is not JSON (" + ec.message() + ")");
  }
  if (!v.is_object()) {
    return make_error(ErrorCode::parse, "API response is not a JSON object");
  }
  json::object& o = v.as_object();
  const json::value* success = o.if_contains("success");
  if (success == nullptr || !success->is_bool()) {
    return make_error(ErrorCode::parse, "API response has no boolean 'success'");
  }
  Envelope env;
  env.success = success->as_bool();
  env.errors = messages_from(o, "errors");
  env.messages = messages_from(o, "messages");
  if (json::value* r = o.if_contains("result")) {
    env.result = std::move(*r);
  }
  if (const json::value* ri = o.if_contains("result_info"); ri != nullptr && ri->is_object()) {
    const json::object& info = ri->as_object();
    ResultInfo out;
    out.page = number_or(info, "page", 0);
    out.per_page = number_or(info, "per_page", 0);
    out.count = number_or(info, "count", 0);
    out.total_count = number_or(info, "total_count", 0);
    if (info.contains("total_pages")) {
      out.total_pages = number_or(info, "total_pages", 0);
    }
    env.result_info = out;
  }
  return env;
}

std::string describe_api_errors(const std::vector<ApiMessage>& errors)
{
  std::string out;
  for (const ApiMessage& e : errors) {
    if (!out.empty()) {
      out += "; ";
    }
    out += "code " + std::to_string(e.code) + ": " + e.message;
  }
  return out;
}

json::value to_json(const Policy& policy)
{
  json::object p;
  p["effect"] = to_string(policy.effect);
  json::array groups;
  for (const std::string& id : policy.permission_group_ids) {
    groups.push_back(json::object{{"id", id}});
  }
  p["permission_groups"] = std::move(groups);
  json::object resources;
  for (const auto& [key, value] : policy.resources) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      resources[key] = *s;
    } else {
      json::object nested;
      for (const auto& [k2, v2] : std::get<NestedResources>(value)) {
        nested[k2] = v2;
      }
      resources[key] = std::move(nested);
    }
  }
  p["resources"] = std::move(resources);
  return p;
}

json::value to_json(const TokenSpec& spec)
{
  json::object o;
  o["name"] = spec.name;
  json::array policies;
  for (const Policy& p : spec.policies) {
    policies.push_back(to_json(p));
  }
  o["policies"] = std::move(policies);
  if (spec.request_ip && (!spec.request_ip->in.empty() || !spec.request_ip->not_in.empty())) {
    json::object ip;
    if (!spec.request_ip->in.empty()) {
      ip["in"] = json::value_from(spec.request_ip->in);
    }
    if (!spec.request_ip->not_in.empty()) {
      ip["not_in"] = json::value_from(spec.request_ip->not_in);
    }
    o["condition"] = json::object{{"request.ip", std::move(ip)}};
  }
  if (spec.not_before) {
    o["not_before"] = *spec.not_before;
  }
  if (spec.expires_on) {
    o["expires_on"] = *spec.expires_on;
  }
  return o;
}

Result<User> user_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("user", "result");
  }
  User u;
  auto id = opt_string(v.as_object(), "id");
  if (!id) {
    return field_error("user", "id");
  }
  u.id = *id;
  u.email = opt_string(v.as_object(), "email").value_or("");
  return u;
}

Result<Account> account_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("account", "result[]");
  }
  auto id = opt_string(v.as_object(), "id");
  if (!id) {
    return field_error("account", "id");
  }
  return Account{*id, opt_string(v.as_object(), "name").value_or("")};
}

Result<Zone> zone_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("zone", "result[]");
  }
  const json::object& o = v.as_object();
  auto id = opt_string(o, "id");
  auto name = opt_string(o, "name");
  if (!id || !name) {
    return field_error("zone", !id ? "id" : "name");
  }
  Zone z{*id, *name, opt_string(o, "status").value_or(""), {}, {}};
  if (const json::value* acc = o.if_contains("account"); acc != nullptr && acc->is_object()) {
    z.account_id = opt_string(acc->as_object(), "id").value_or("");
    z.account_name = opt_string(acc->as_object(), "name").value_or("");
  }
  return z;
}

Result<PermissionGroup> permission_group_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("permission group", "result[]");
  }
  auto id = opt_string(v.as_object(), "id");
  if (!id) {
    return field_error("permission group", "id");
  }
  return PermissionGroup{*id, opt_string(v.as_object(), "name").value_or(""),
                         strings_from(v.as_object().if_contains("scopes"))};
}

Result<Policy> policy_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("policy", "policies[]");
  }
  const json::object& o = v.as_object();
  Policy p;
  p.id = opt_string(o, "id").value_or("");
  const auto effect = opt_string(o, "effect");
  if (!effect || (*effect != "allow" && *effect != "deny")) {
    return field_error("policy", "effect");
  }
  p.effect = *effect == "allow" ? Effect::allow : Effect::deny;
  const json::value* groups = o.if_contains("permission_groups");
  if (groups == nullptr || !groups->is_array()) {
    return field_error("policy", "permission_groups");
  }
  for (const json::value& g : groups->as_array()) {
    if (!g.is_object() || !opt_string(g.as_object(), "id")) {
      return field_error("policy", "permission_groups[].id");
    }
    p.permission_group_ids.push_back(*opt_string(g.as_object(), "id"));
  }
  const json::value* resources = o.if_contains("resources");
  if (resources == nullptr || !resources->is_object()) {
    return field_error("policy", "resources");
  }
  for (const auto& kv : resources->as_object()) {
    if (kv.value().is_string()) {
      p.resources[std::string(kv.key())] = std::string(kv.value().as_string());
    } else if (kv.value().is_object()) {
      NestedResources nested;
      for (const auto& inner : kv.value().as_object()) {
        if (!inner.value().is_string()) {
          return field_error("policy", "resources");
        }
        nested[std::string(inner.key())] = std::string(inner.value().as_string());
      }
      p.resources[std::string(kv.key())] = std::move(nested);
    } else {
      return field_error("policy", "resources");
    }
  }
  return p;
}

Result<Token> token_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("token", "result");
  }
  const json::object& o = v.as_object();
  Token t;
  auto id = opt_string(o, "id");
  if (!id) {
    return field_error("token", "id");
  }
  t.id = *id;
  t.name = opt_string(o, "name").value_or("");
  t.status = opt_string(o, "status").value_or("");
  if (const json::value* policies = o.if_contains("policies"); policies != nullptr && policies->is_array()) {
    for (const json::value& p : policies->as_array()) {
      CFM_TRY(Policy policy, policy_from_json(p));
      t.policies.push_back(std::move(policy));
    }
  }
  t.request_ip = condition_from(o);
  t.not_before = opt_string(o, "not_before");
  t.expires_on = opt_string(o, "expires_on");
  t.issued_on = opt_string(o, "issued_on");
  t.modified_on = opt_string(o, "modified_on");
  return t;
}

Result<TokenVerification> verification_from_json(const json::value& v)
{
  if (!v.is_object()) {
    return field_error("token verification", "result");
  }
  const json::object& o = v.as_object();
  auto id = opt_string(o, "id");
  auto status = opt_string(o, "status");
  if (!id || !status) {
    return field_error("token verification", !id ? "id" : "status");
  }
  return TokenVerification{*id, *status, opt_string(o, "not_before"), opt_string(o, "expires_on")};
}

Result<CreatedToken> created_token_from_json(json::value& v)
{
  if (!v.is_object()) {
    return field_error("created token", "result");
  }
  json::object& o = v.as_object();
  json::value* value = o.if_contains("value");
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return field_error("created token", "value");
  }
  json::string& raw = value->as_string();
  CreatedToken created{{}, Secret(std::string_view(raw.data(), raw.size()))};
  OPENSSL_cleanse(raw.data(), raw.size());
  o.erase("value");
  CFM_TRY(Token token, token_from_json(v));
  created.token = std::move(token);
  return created;
}

} // namespace cfmigrate::cloudflare
