// API tokens of a user (/user/tokens) or an account (/accounts/{account_id}/tokens): who owns
// them, verify, permission groups, list, get, update, delete and roll. Creation is in
// service_token_create.cpp.
#include <cfmigrate/emulator/service.hpp>

#include "service_call.hpp"

#include <cfmigrate/util/rfc3339.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>

namespace cfmigrate::emulator {

namespace json = boost::json;

std::optional<Response> Service::own_user_tokens(Call& call)
{
  const UserRecord& user = call.user();
  call.owner = TokenOwner{TokenOwner::Kind::user, {}, Resource{Resource::Kind::user, user.id, {}},
                          m_state.group_ids({"API Tokens Read", "API Tokens Write"}),
                          m_state.group_ids({"API Tokens Write"})};
  return std::nullopt;
}

std::optional<Response> Service::own_account_tokens(Call& call)
{
  const std::string& account_id = call.param("account_id");
  if (m_state.find_account(account_id) == nullptr || !m_state.user_in_account(call.user(), account_id)) {
    return forbidden();
  }
  call.owner = TokenOwner{TokenOwner::Kind::account, account_id, Resource{Resource::Kind::account, account_id, {}},
                          m_state.group_ids({"Account API Tokens Read", "Account API Tokens Write"}),
                          m_state.group_ids({"Account API Tokens Write"})};
  return std::nullopt;
}

// A token the owner does not have is "not found" only for a caller who may list the owner's tokens.
std::optional<Response> Service::require_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  TokenRecord* token = m_state.find_token(call.param("token_id"));
  if (token == nullptr || !owner.owns(*token, call.user())) {
    if (!m_state.allowed(call.who, owner.read_groups, owner.resource)) {
      return forbidden();
    }
    return fail(404, api_error::token_not_found, "Token not found");
  }
  call.token = token;
  return std::nullopt;
}

Response Service::verify_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  const TokenRecord* token = call.who.token;
  if (token == nullptr || owner.is_account() == token->owner_account.empty()
      || (owner.is_account() && token->owner_account != owner.account_id)) {
    return fail(401, api_error::invalid_token, "Invalid API Token");
  }
  json::object r{{"id", token->id}, {"status", token->status}};
  if (token->not_before) {
    r["not_before"] = *token->not_before;
  }
  if (token->expires_on) {
    r["expires_on"] = *token->expires_on;
  }
  return ok(std::move(r), std::nullopt,
            json::array{json::object{{"code", 10000}, {"message", "This API Token is valid and active"}, {"type", nullptr}}});
}

Response Service::list_permission_groups(Call& call)
{
  const TokenOwner& owner = *call.owner;
  if (!m_state.allowed(call.who, owner.read_groups, owner.resource)) {
    return forbidden();
  }
  json::array items;
  for (const PermissionGroupRecord& g : m_state.permission_groups) {
    if (owner.is_account() && g.scope == "com.cloudflare.api.user") {
      continue;
    }
    if (auto it = call.query.find("name"); it != call.query.end() && g.name != it->second) {
      continue;
    }
    if (auto it = call.query.find("scope"); it != call.query.end() && g.scope != it->second) {
      continue;
    }
    items.push_back(json::object{{"id", g.id}, {"name", g.name}, {"scopes", json::array{json::value(g.scope)}}});
  }
  return ok(std::move(items));
}

Response Service::list_tokens(Call& call)
{
  const TokenOwner& owner = *call.owner;
  if (!m_state.allowed(call.who, owner.read_groups, owner.resource)) {
    return forbidden();
  }
  json::array items;
  for (const TokenRecord& t : m_state.tokens) {
    if (owner.owns(t, call.user())) {
      items.push_back(m_state.token_json(t));
    }
  }
  return paginated(call.query, items);
}

Response Service::get_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  return m_state.allowed(call.who, owner.read_groups, owner.resource) ? ok(m_state.token_json(*call.token)) : forbidden();
}

Response Service::delete_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  if (!m_state.allowed(call.who, owner.write_groups, owner.resource)) {
    return forbidden();
  }
  const std::string id = call.token->id;
  std::erase_if(m_state.tokens, [&](const TokenRecord& t) { return t.id == id; });
  (void)save_state();
  return ok(json::object{{"id", id}});
}

Response Service::update_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  if (!m_state.allowed(call.who, owner.write_groups, owner.resource)) {
    return forbidden();
  }
  boost::system::error_code ec;
  const json::value body = json::parse(call.request.body, ec);
  if (ec || !body.is_object()) {
    return fail(400, api_error::bad_body, "Invalid request body: expected a JSON object");
  }
  TokenRecord& token = *call.token;
  if (const json::value* st = body.as_object().if_contains("status"); st != nullptr) {
    if (!st->is_string() || (st->as_string() != "active" && st->as_string() != "disabled")) {
      return fail(400, api_error::bad_body, "status must be active or disabled");
    }
    token.status = std::string(st->as_string());
  }
  if (const json::value* nm = body.as_object().if_contains("name"); nm != nullptr && nm->is_string() && !nm->as_string().empty()) {
    token.name = std::string(nm->as_string());
  }
  token.modified_on = format_rfc3339(call.now_wall);
  (void)save_state();
  return ok(m_state.token_json(token));
}

Response Service::roll_token(Call& call)
{
  const TokenOwner& owner = *call.owner;
  if (!m_state.allowed(call.who, owner.write_groups, owner.resource)) {
    return forbidden();
  }
  Secret value = random_token_value();
  call.token->value_sha256 = hash_secret(value);
  call.token->modified_on = format_rfc3339(call.now_wall);
  (void)save_state();
  return ok(json::value(value.expose_secret_value_for_use_in_credential_slot()));
}

} // namespace cfmigrate::emulator
