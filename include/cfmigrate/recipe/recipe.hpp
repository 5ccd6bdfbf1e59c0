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
