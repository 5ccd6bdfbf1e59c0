#pragma once
// The in-memory form of one migrations/<id>/recipe.json (see docs/recipe-format.md).

#include <string>
#include <vector>

namespace cfmigrate::recipe {

enum class Context { optional, required };
enum class Mode { in_place, manual };
enum class ZoneScope { used, account };
enum class PermissionScope { zone, account, user };

struct Permission {
  std::string group;  // API name, e.g. "DNS Write"
  PermissionScope scope = PermissionScope::zone;
};

struct ExtraSetting {
  std::string name;
  std::string value;  // "account_id", "zone_id" or "literal:<text>"
};

struct Detect {
  std::vector<std::string> paths;
  std::vector<std::string> ignore_paths;  // the program's own installed code: references there are noise
  std::vector<std::string> signals;  // stored lowercase
  Context context = Context::optional;
  std::vector<std::string> key_names;
  std::vector<std::string> email_names;
  std::vector<std::string> token_names;
  bool case_sensitive_names = false;
};

// Overrides for one key setting name (acme.sh: SAVED_CF_Key -> SAVED_CF_Token).
struct KeyNameOverride {
  std::string key_name;
  std::string token_setting;
  std::vector<ExtraSetting> extra_settings;
  bool has_extra_settings = false;  // when false the recipe's extra_settings apply
};

// Where to look for the zones a configuration uses besides its own file. `paths` may use
// ${dir} (the directory of the file holding the key); a file counts only when it contains
// `contains` (${path} is the key file's path), when given.
struct ZoneSource {
  std::vector<std::string> paths;
  std::string contains;
};

enum class Inference { none, api_calls, resource_types };

struct ResourcePermissions {
  std::string resource_type;  // "cloudflare_record"
  std::vector<Permission> permissions;
};

struct Migrate {
  Mode mode = Mode::in_place;
  std::vector<Permission> permissions;
  ZoneScope zone_scope = ZoneScope::used;
  std::string token_setting;
  bool remove_key = false;
  bool remove_email = false;
  std::vector<ExtraSetting> extra_settings;
  std::vector<std::string> manual_steps;
  std::vector<std::string> reload;
  std::string min_version;
  std::vector<KeyNameOverride> by_key_name;
  std::vector<ZoneSource> zone_sources;
  Inference inference = Inference::none;
  std::vector<ResourcePermissions> resource_permissions;

  // The token setting and extra settings for a key setting named `key_name`.
  const std::string& token_setting_for(const std::string& key_name) const;
  const std::vector<ExtraSetting>& extra_settings_for(const std::string& key_name) const;
};

struct Recipe {
  int schema_version = 1;
  std::string id;
  std::string name;
  std::string reference;
  int priority = 50;
  Detect detect;
  Migrate migrate;
  std::string origin;  // where it was loaded from ("migrations/x/recipe.json" or a path)
};

const char* to_string(PermissionScope scope);
const char* to_string(Mode mode);
const char* to_string(ZoneScope scope);

} // namespace cfmigrate::recipe
