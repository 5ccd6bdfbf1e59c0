// Authentication of API requests: the Global API Key (X-Auth-Email + X-Auth-Key) or an API token
// (Authorization: Bearer), with the token's status, propagation delay, dates and IP condition.
#include <cfmigrate/emulator/service.hpp>

#include "service_call.hpp"

#include <cfmigrate/util/rfc3339.hpp>

#include <algorithm>
#include <cctype>

namespace cfmigrate::emulator {

namespace {

// Cloudflare checks the shape before the value: 37..45 lowercase hex, or the newer cfk_ form.
bool looks_like_global_key(const std::string& key)
{
  const bool hex = key.size() >= 37 && key.size() <= 45
                   && std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f'); });
  return hex || key.rfind("cfk_", 0) == 0;
}

bool ip_condition_admits(const TokenRecord& token, const std::string& client_ip)
{
  bool in = token.ip_in.empty();
  for (const std::string& c : token.ip_in) {
    in = in || ip_in_cidr(client_ip, c);
  }
  for (const std::string& c : token.ip_not_in) {
    in = in && !ip_in_cidr(client_ip, c);
  }
  return in;
}

Response invalid_token()
{
  return fail(401, api_error::invalid_token, "Invalid API Token");
}

} // namespace

std::optional<Response> Service::authenticate(Call& call)
{
  const Request& request = call.request;
  Refusal refusal;
  if (!request.header("X-Auth-Key").empty() || !request.header("X-Auth-Email").empty()) {
    refusal = authenticate_global_key(call);
  } else if (!request.header("Authorization").empty()) {
    refusal = authenticate_token(call);
  } else {
    return fail(400, api_error::missing_auth, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
  }
  if (refusal) {
    return refusal;
  }
  if (call.who.user == nullptr) {
    return forbidden();
  }
  return std::nullopt;
}

std::optional<Response> Service::authenticate_global_key(Call& call)
{
  const std::string email = call.request.header("X-Auth-Email");
  const std::string key = call.request.header("X-Auth-Key");
  if (email.empty() || email.find('@') == std::string::npos || !looks_like_global_key(key)) {
    return fail(400, api_error::invalid_headers, "Invalid request headers");
  }
  const UserRecord* user = m_state.find_user_by_email(email);
  if (user == nullptr || !(user->global_key == Secret(key))) {
    return fail(403, api_error::unknown_key, "Unknown X-Auth-Key or X-Auth-Email");
  }
  call.who.user = user;
  return std::nullopt;
}

std::optional<Response> Service::authenticate_token(Call& call)
{
  const std::string authorization = call.request.header("Authorization");
  if (authorization.rfind("Bearer ", 0) != 0 || authorization.size() <= 7 || authorization.find(' ', 7) != std::string::npos) {
    return fail(400, api_error::invalid_headers, "Invalid format for Authorization header");
  }
  TokenRecord* token = m_state.find_token_by_value(Secret(std::string_view(authorization).substr(7)));
  if (token == nullptr || token->status != "active" || m_clock->now() < token->valid_from) {
    return invalid_token();
  }
  if (token->not_before) {
    if (auto nb = parse_rfc3339(*token->not_before); nb && call.now_wall < *nb) {
      return invalid_token();
    }
  }
  if (token->expires_on) {
    if (auto exp = parse_rfc3339(*token->expires_on); exp && call.now_wall >= *exp) {
      token->status = "expired";
      return invalid_token();
    }
  }
  if (!token->condition_key.empty() && !ip_condition_admits(*token, call.request.client_ip)) {
    return fail(403, api_error::ip_denied, "Cannot use the access token from location: " + call.request.client_ip);
  }
  call.who.user = m_state.find_user(token->owner_user);
  call.who.token = token;
  token->last_used_on = format_rfc3339(call.now_wall);
  return std::nullopt;
}

} // namespace cfmigrate::emulator
