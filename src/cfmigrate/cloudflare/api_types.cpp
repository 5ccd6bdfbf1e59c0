#include <cfmigrate/cloudflare/api_types.hpp>

#include <cfmigrate/util/json_read.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <openssl/crypto.h>

namespace cfmigrate::cloudflare {

namespace json = boost::json;

// Every reader below goes through util/json_read: a wrong type or a missing required field is a
// parse error naming the field ("API zone: account.id: expected a string, got a number"); fields
// Cloudflare may leave out are optional. Found by ADL from read_json_as, so they are declared in
// this namespace (api_types.hpp declares the ones other modules read through).

Result<ApiMessage> tag_invoke(json::try_value_to_tag<ApiMessage>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  ApiMessage m;
  CFM_TRY(m.code, f.optional<long long>("code"));
  CFM_TRY(m.message, f.optional<std::string>("message"));
  return m;
}

Result<ResultInfo> tag_invoke(json::try_value_to_tag<ResultInfo>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  ResultInfo out;
  CFM_TRY(out.page, f.optional<long long>("page"));
  CFM_TRY(out.per_page, f.optional<long long>("per_page"));
  CFM_TRY(out.count, f.optional<long long>("count"));
  CFM_TRY(out.total_count, f.optional<long long>("total_count"));
  CFM_TRY(out.total_pages, f.optional<std::optional<long long>>("total_pages"));
  return out;
}

Result<IpCondition> tag_invoke(json::try_value_to_tag<IpCondition>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  IpCondition c;
  CFM_TRY(c.in, f.optional<std::vector<std::string>>("in"));
  CFM_TRY(c.not_in, f.optional<std::vector<std::string>>("not_in"));
  return c;
}

namespace {

// A token's "condition": {"request.ip": {in, not_in}} ("request_ip" in older answers).
Result<std::optional<IpCondition>> condition_from(const JsonFields& token)
{
  CFM_TRY(const json::value condition, token.optional<json::value>("condition"));
  if (condition.is_null()) {
    return std::optional<IpCondition>();
  }
  CFM_TRY(const JsonFields c, JsonFields::of(condition, token.at().key("condition")));
  const char* key = c.find("request.ip") != nullptr ? "request.ip" : "request_ip";
  return c.optional<std::optional<IpCondition>>(key);
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
  CFM_TRY(const JsonFields f, JsonFields::of(v, JsonPath("API response")));
  Envelope env;
  CFM_TRY(env.success, f.required<bool>("success"));
  CFM_TRY(env.errors, f.optional<std::vector<ApiMessage>>("errors"));
  CFM_TRY(env.messages, f.optional<std::vector<ApiMessage>>("messages"));
  CFM_TRY(env.result_info, f.optional<std::optional<ResultInfo>>("result_info"));
  if (json::value* r = v.as_object().if_contains("result")) {
    env.result = std::move(*r);
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

Result<User> tag_invoke(json::try_value_to_tag<User>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  User u;
  CFM_TRY(u.id, f.required<std::string>("id"));
  CFM_TRY(u.email, f.optional<std::string>("email"));
  return u;
}

Result<Account> tag_invoke(json::try_value_to_tag<Account>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Account a;
  CFM_TRY(a.id, f.required<std::string>("id"));
  CFM_TRY(a.name, f.optional<std::string>("name"));
  return a;
}

Result<Zone> tag_invoke(json::try_value_to_tag<Zone>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Zone z;
  CFM_TRY(z.id, f.required<std::string>("id"));
  CFM_TRY(z.name, f.required<std::string>("name"));
  CFM_TRY(z.status, f.optional<std::string>("status"));
  CFM_TRY(const std::optional<Account> account, f.optional<std::optional<Account>>("account"));
  if (account) {
    z.account_id = account->id;
    z.account_name = account->name;
  }
  return z;
}

Result<PermissionGroup> tag_invoke(json::try_value_to_tag<PermissionGroup>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  PermissionGroup g;
  CFM_TRY(g.id, f.required<std::string>("id"));
  CFM_TRY(g.name, f.optional<std::string>("name"));
  CFM_TRY(g.scopes, f.optional<std::vector<std::string>>("scopes"));
  return g;
}

namespace {

// "permission_groups": [{"id": ...}], of which only the ids matter.
Result<std::vector<std::string>> group_ids_from(const JsonFields& policy)
{
  CFM_TRY(const json::value groups, policy.required<json::value>("permission_groups"));
  CFM_TRY(const std::vector<json::value> items, read_json_as<std::vector<json::value>>(groups, policy.at().key("permission_groups")));
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    CFM_TRY(const JsonFields group, JsonFields::of(items[i], policy.at().key("permission_groups").index(i)));
    CFM_TRY(std::string id, group.required<std::string>("id"));
    ids.push_back(std::move(id));
  }
  return ids;
}

// "resources": {key: "*"} or {account key: {zone key: "*"}}.
Result<Resources> resources_from(const JsonFields& policy)
{
  CFM_TRY(const json::value value, policy.required<json::value>("resources"));
  CFM_TRY(const JsonFields resources, JsonFields::of(value, policy.at().key("resources")));
  Resources out;
  for (const auto& entry : resources.object()) {
    const std::string key(entry.key());
    if (entry.value().is_object()) {
      CFM_TRY(const JsonFields nested, JsonFields::of(entry.value(), resources.at().key(key)));
      NestedResources inner;
      for (const auto& kv : nested.object()) {
        CFM_TRY(inner[std::string(kv.key())], nested.required<std::string>(kv.key()));
      }
      out[key] = std::move(inner);
    } else {
      CFM_TRY(out[key], resources.required<std::string>(key));
    }
  }
  return out;
}

} // namespace

Result<Policy> tag_invoke(json::try_value_to_tag<Policy>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Policy p;
  CFM_TRY(p.id, f.optional<std::string>("id"));
  CFM_TRY(const std::string effect, f.required<std::string>("effect"));
  if (effect != "allow" && effect != "deny") {
    return at.key("effect").error("expected \"allow\" or \"deny\"");
  }
  p.effect = effect == "allow" ? Effect::allow : Effect::deny;
  CFM_TRY(p.permission_group_ids, group_ids_from(f));
  CFM_TRY(p.resources, resources_from(f));
  return p;
}

Result<Token> tag_invoke(json::try_value_to_tag<Token>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Token t;
  CFM_TRY(t.id, f.required<std::string>("id"));
  CFM_TRY(t.name, f.optional<std::string>("name"));
  CFM_TRY(t.status, f.optional<std::string>("status"));
  CFM_TRY(t.policies, f.optional<std::vector<Policy>>("policies"));
  CFM_TRY(t.request_ip, condition_from(f));
  CFM_TRY(t.not_before, f.optional<std::optional<std::string>>("not_before"));
  CFM_TRY(t.expires_on, f.optional<std::optional<std::string>>("expires_on"));
  CFM_TRY(t.issued_on, f.optional<std::optional<std::string>>("issued_on"));
  CFM_TRY(t.modified_on, f.optional<std::optional<std::string>>("modified_on"));
  return t;
}

Result<TokenVerification> tag_invoke(json::try_value_to_tag<TokenVerification>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  TokenVerification out;
  CFM_TRY(out.id, f.required<std::string>("id"));
  CFM_TRY(out.status, f.required<std::string>("status"));
  CFM_TRY(out.not_before, f.optional<std::optional<std::string>>("not_before"));
  CFM_TRY(out.expires_on, f.optional<std::optional<std::string>>("expires_on"));
  return out;
}

Result<User> user_from_json(const json::value& v)
{
  return read_json_as<User>(v, JsonPath("API user"));
}

Result<Account> account_from_json(const json::value& v)
{
  return read_json_as<Account>(v, JsonPath("API account"));
}

Result<Zone> zone_from_json(const json::value& v)
{
  return read_json_as<Zone>(v, JsonPath("API zone"));
}

Result<PermissionGroup> permission_group_from_json(const json::value& v)
{
  return read_json_as<PermissionGroup>(v, JsonPath("API permission group"));
}

Result<Policy> policy_from_json(const json::value& v)
{
  return read_json_as<Policy>(v, JsonPath("API policy"));
}

Result<Token> token_from_json(const json::value& v)
{
  return read_json_as<Token>(v, JsonPath("API token"));
}

Result<TokenVerification> verification_from_json(const json::value& v)
{
  return read_json_as<TokenVerification>(v, JsonPath("API token verification"));
}

Result<CreatedToken> created_token_from_json(json::value& v)
{
  const JsonPath at("API created token");
  json::object* o = v.if_object();
  if (o == nullptr) {
    return at.error("expected an object, got " + json_kind(v));
  }
  json::value* value = o->if_contains("value");
  if (value == nullptr || !value->is_string() || value->as_string().empty()) {
    return at.key("value").error("expected a non-empty string");
  }
  json::string& raw = value->as_string();
  CreatedToken created{{}, Secret(std::string_view(raw.data(), raw.size()))};
  OPENSSL_cleanse(raw.data(), raw.size());
  o->erase("value");
  CFM_TRY(Token token, token_from_json(v));
  created.token = std::move(token);
  return created;
}

} // namespace cfmigrate::cloudflare
