#include <cfmigrate/plan/permission_names.hpp>

#include <algorithm>

namespace cfmigrate::plan {

const char* scope_key(recipe::PermissionScope scope)
{
  switch (scope) {
  case recipe::PermissionScope::zone: return "com.cloudflare.api.account.zone";
  case recipe::PermissionScope::account: return "com.cloudflare.api.account";
  case recipe::PermissionScope::user: return "com.cloudflare.api.user";
  }
  return "com.cloudflare.api.account.zone";
}

std::optional<PermissionRef> resolve_permission(const std::vector<cloudflare::PermissionGroup>& groups,
                                                const recipe::Permission& permission)
{
  std::string wanted = scope_key(permission.scope);
  for (const auto& g : groups) {
    if (g.name == permission.group && std::find(g.scopes.begin(), g.scopes.end(), wanted) != g.scopes.end()) {
      return PermissionRef{g.id, g.name, recipe::to_string(permission.scope)};
    }
  }
  return std::nullopt;
}

std::string dashboard_name(const PermissionRef& permission)
{
  std::string scope = permission.scope == "zone" ? "Zone" : permission.scope == "account" ? "Account" : "User";
  std::string name = permission.name;
  for (auto [suffix, level] : {std::pair{" Read", "Read"}, std::pair{" Write", "Edit"}}) {
    std::string_view s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      return scope + ":" + name.substr(0, name.size() - s.size()) + ":" + level;
    }
  }
  return scope + ":" + name;
}

} // namespace cfmigrate::plan
