#pragma once
// Permission groups: recipe names (API names + scope) resolved to ids through the groups the API
// lists, and rendered in the dashboard's notation ("Zone:DNS:Edit").

#include <cfmigrate/cloudflare/api_types.hpp>
#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/recipe/recipe.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::plan {

// "com.cloudflare.api.account.zone" for zone, "com.cloudflare.api.account" for account, …
const char* scope_key(recipe::PermissionScope scope);

// The group with this API name at this scope, or nullopt (names are not unique across scopes).
std::optional<PermissionRef> resolve_permission(const std::vector<cloudflare::PermissionGroup>& groups,
                                                const recipe::Permission& permission);

// Dashboard notation: "Zone:DNS:Edit", "Account:Account Settings:Read", "Zone:Cache Purge".
std::string dashboard_name(const PermissionRef& permission);

} // namespace cfmigrate::plan
