// The emulator's API routes: method and path pattern (under the API prefix) -> handler, and the
// scopes whose {id} is resolved first. Every request is authenticated before it is routed, so an
// unknown path without credentials answers like Cloudflare: missing credentials, not "no route".
#include <cfmigrate/emulator/service.hpp>

#include "service_call.hpp"

namespace cfmigrate::emulator {

const std::vector<Service::Route>& Service::routes()
{
  static const std::vector<Route> k_routes = {
    {"GET", "user", &Service::get_user},
    {"GET", "accounts", &Service::list_accounts},

    {"GET", "zones", &Service::list_zones},
    {"GET", "zones/{zone_id}", &Service::get_zone},
    {"GET", "zones/{zone_id}/dns_records", &Service::list_dns_records},
    {"POST", "zones/{zone_id}/dns_records", &Service::create_dns_record},
    {"DELETE", "zones/{zone_id}/dns_records/{record_id}", &Service::delete_dns_record},
    {"GET", "zones/{zone_id}/settings", &Service::list_zone_settings},
    {"GET", "zones/{zone_id}/settings/{setting}", &Service::get_zone_setting},
    {"PATCH", "zones/{zone_id}/settings/{setting}", &Service::edit_zone_setting},
    {"POST", "zones/{zone_id}/purge_cache", &Service::purge_cache},
    {"GET", "zones/{zone_id}/analytics/dashboard", &Service::zone_analytics},

    {"GET", "user/tokens/verify", &Service::verify_token},
    {"GET", "user/tokens/permission_groups", &Service::list_permission_groups},
    {"GET", "user/tokens", &Service::list_tokens},
    {"POST", "user/tokens", &Service::create_token},
    {"GET", "user/tokens/{token_id}", &Service::get_token},
    {"PUT", "user/tokens/{token_id}", &Service::update_token},
    {"DELETE", "user/tokens/{token_id}", &Service::delete_token},
    {"PUT", "user/tokens/{token_id}/value", &Service::roll_token},

    {"GET", "accounts/{account_id}/tokens/verify", &Service::verify_token},
    {"GET", "accounts/{account_id}/tokens/permission_groups", &Service::list_permission_groups},
    {"GET", "accounts/{account_id}/tokens", &Service::list_tokens},
    {"POST", "accounts/{account_id}/tokens", &Service::create_token},
    {"GET", "accounts/{account_id}/tokens/{token_id}", &Service::get_token},
    {"PUT", "accounts/{account_id}/tokens/{token_id}", &Service::update_token},
    {"DELETE", "accounts/{account_id}/tokens/{token_id}", &Service::delete_token},
    {"PUT", "accounts/{account_id}/tokens/{token_id}/value", &Service::roll_token},
  };
  return k_routes;
}

// Outer scopes first: a token's owner is known before the token is looked up.
const std::vector<Service::Scope>& Service::scopes()
{
  static const std::vector<Scope> k_scopes = {
    {"zones/{zone_id}", &Service::require_zone},
    {"user/tokens", &Service::own_user_tokens},
    {"accounts/{account_id}/tokens", &Service::own_account_tokens},
    {"user/tokens/{token_id}", &Service::require_token},
    {"accounts/{account_id}/tokens/{token_id}", &Service::require_token},
  };
  return k_scopes;
}

Response Service::route(const Request& request, std::string_view path, std::string_view query)
{
  Call call(request, parse_query(query));
  if (Refusal refusal = authenticate(call)) {
    return *refusal;
  }
  const std::vector<std::string> segments = split_path(path);
  const Route* route = nullptr;
  for (const Route& candidate : routes()) {
    if (candidate.method == request.method
        && match_pattern(candidate.pattern, segments, PatternExtent::whole_path, call.params)) {
      route = &candidate;
      break;
    }
  }
  // The guards of the scopes the request lies in: for a route, the scopes its pattern lies in
  // ("user/tokens/verify" is no token id); without one, every scope the path lies in, so an
  // unknown zone or token is reported before "no route" (as Cloudflare does).
  for (const Scope& scope : scopes()) {
    if (route != nullptr && !pattern_within(route->pattern, scope.pattern)) {
      continue;
    }
    if (!match_pattern(scope.pattern, segments, PatternExtent::path_prefix, call.params)) {
      continue;
    }
    if (Refusal refusal = (this->*scope.guard)(call)) {
      return *refusal;
    }
  }
  return route != nullptr ? (this->*route->handler)(call) : no_route();
}

} // namespace cfmigrate::emulator
