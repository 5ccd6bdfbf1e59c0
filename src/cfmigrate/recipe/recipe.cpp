#include <cfmigrate/recipe/recipe.hpp>

namespace cfmigrate::recipe {

const std::string& Migrate::token_setting_for(const std::string& key_name) const
{
  for (const auto& o : by_key_name) {
    if (o.key_name == key_name) {
      return o.token_setting;
    }
  }
  return token_setting;
}

const std::vector<ExtraSetting>& Migrate::extra_settings_for(const std::string& key_name) const
{
  for (const auto& o : by_key_name) {
    if (o.key_name == key_name && o.has_extra_settings) {
      return o.extra_settings;
    }
  }
  return extra_settings;
}

const char* to_string(PermissionScope scope)
{
  switch (scope) {
  case PermissionScope::zone: return "zone";
  case PermissionScope::account: return "account";
  case PermissionScope::user: return "user";
  }
  return "zone";
}

const char* to_string(Mode mode)
{
  return mode == Mode::in_place ? "in_place" : "manual";
}

const char* to_string(ZoneScope scope)
{
  return scope == ZoneScope::used ? "used" : "account";
}

} // namespace cfmigrate::recipe
