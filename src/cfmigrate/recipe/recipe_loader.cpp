#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/util/file_content.hpp>
#include <cfmigrate/util/json_read.hpp>
#include <cfmigrate/util/text.hpp>

#include <cfmigrate/recipe/embedded.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>

namespace cfmigrate::recipe {

namespace json = boost::json;

namespace {

// Boost.JSON keeps no source positions, so errors locate the field by its first quoted occurrence.
Error located(std::string_view text, const std::string& origin, std::string_view field, std::string message)
{
  Error error(ErrorCode::parse, std::move(message), origin);
  std::string needle = "\"" + std::string(field) + "\"";
  std::size_t at = field.empty() ? std::string_view::npos : text.find(needle);
  if (at == std::string_view::npos) {
    return error;
  }
  std::uint32_t line = 1;
  std::uint32_t column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  error.at(line, column);
  return error;
}

// Whether a field must be present (else the recipe is rejected) or may be left out.
enum class Field { required, optional };

class ObjectReader {
public:
  ObjectReader(const json::object& object, std::string_view text, const std::string& origin, std::string path)
    : m_object(object), m_text(text), m_origin(origin), m_path(std::move(path))
  {
  }

  // Every key of the object must be one of `allowed`.
  Status only(std::initializer_list<std::string_view> allowed) const
  {
    for (const auto& entry : m_object) {
      std::string_view key(entry.key().data(), entry.key().size());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return located(m_text, m_origin, key, "unknown field '" + qualified(key) + "'");
      }
    }
    return {};
  }

  bool has(std::string_view key) const { return m_object.contains(key); }

  Result<std::string> string(std::string_view key, Field presence, std::string fallback = {}) const
  {
    return read<std::string>(key, presence, std::move(fallback));
  }

  Result<std::int64_t> integer(std::string_view key, Field presence, std::int64_t fallback) const
  {
    return read<std::int64_t>(key, presence, fallback);
  }

  Result<bool> boolean(std::string_view key, bool fallback) const { return read<bool>(key, Field::optional, fallback); }

  Result<std::vector<std::string>> strings(std::string_view key, Field presence) const
  {
    CFM_TRY(std::vector<std::string> out, read<std::vector<std::string>>(key, presence, {}));
    for (const auto& item : out) {
      if (item.empty()) {
        return wrong(key, "an array of non-empty strings");
      }
    }
    return out;
  }

  Result<const json::object*> object(std::string_view key, Field presence) const
  {
    const json::value* v = m_object.if_contains(key);
    if (v == nullptr) {
      if (presence == Field::required) {
        return missing(key);
      }
      return static_cast<const json::object*>(nullptr);
    }
    if (!v->is_object()) {
      return wrong(key, "an object");
    }
    return &v->as_object();
  }

  Result<const json::array*> array(std::string_view key) const
  {
    const json::value* v = m_object.if_contains(key);
    if (v == nullptr) {
      return static_cast<const json::array*>(nullptr);
    }
    if (!v->is_array()) {
      return wrong(key, "an array");
    }
    return &v->as_array();
  }

  // One of `choices` (the enum's spelling in JSON).
  Result<std::size_t> choice(std::string_view key, std::initializer_list<std::string_view> choices, Field presence,
                             std::size_t fallback) const
  {
    CFM_TRY(std::string value, string(key, presence));
    if (value.empty() && presence == Field::optional) {
      return fallback;
    }
    std::size_t index = 0;
    for (std::string_view c : choices) {
      if (c == value) {
        return index;
      }
      ++index;
    }
    std::string list;
    for (std::string_view c : choices) {
      list += (list.empty() ? "" : ", ") + std::string(c);
    }
    return located(m_text, m_origin, key, "field '" + qualified(key) + "' must be one of: " + list);
  }

  Error error(std::string_view key, std::string message) const { return located(m_text, m_origin, key, std::move(message)); }

  std::string qualified(std::string_view key) const { return m_path.empty() ? std::string(key) : m_path + "." + std::string(key); }

  std::string_view text() const { return m_text; }
  const std::string& origin() const { return m_origin; }

private:
  // The field through util/json_read (its conversions and messages), located in the text.
  template<typename T>
  Result<T> read(std::string_view key, Field presence, T fallback) const
  {
    const json::value* v = m_object.if_contains(key);
    if (v == nullptr) {
      if (presence == Field::required) {
        return missing(key);
      }
      return fallback;
    }
    auto value = read_json_as<T>(*v, JsonPath().key(qualified(key)));
    if (!value) {
      return located(m_text, m_origin, key, value.error().message());
    }
    return value;
  }

  Error missing(std::string_view key) const
  {
    return Error(ErrorCode::parse, "missing required field '" + qualified(key) + "'", m_origin);
  }
  Error wrong(std::string_view key, std::string_view what) const
  {
    return located(m_text, m_origin, key, "field '" + qualified(key) + "' must be " + std::string(what));
  }

  const json::object& m_object;
  std::string_view m_text;
  const std::string& m_origin;
  std::string m_path;
};

Status read_detect(const ObjectReader& top, Recipe& recipe)
{
  CFM_TRY(const json::object* object, top.object("detect", Field::required));
  ObjectReader r(*object, top.text(), top.origin(), "detect");
  CFM_TRY_STATUS(r.only({"paths", "ignore_paths", "signals", "context", "key_names", "email_names", "token_names", "case_sensitive_names"}));
  Detect& d = recipe.detect;
  CFM_TRY(d.paths, r.strings("paths", Field::optional));
  CFM_TRY(d.ignore_paths, r.strings("ignore_paths", Field::optional));
  CFM_TRY(std::vector<std::string> signals, r.strings("signals", Field::optional));
  for (auto& s : signals) {
    d.signals.push_back(to_lower(std::move(s)));
  }
  CFM_TRY(std::size_t context, r.choice("context", {"optional", "required"}, Field::optional, 0));
  d.context = static_cast<Context>(context);
  CFM_TRY(d.key_names, r.strings("key_names", Field::required));
  CFM_TRY(d.email_names, r.strings("email_names", Field::optional));
  CFM_TRY(d.token_names, r.strings("token_names", Field::optional));
  CFM_TRY(d.case_sensitive_names, r.boolean("case_sensitive_names", false));
  if (d.context == Context::required && d.paths.empty() && d.signals.empty()) {
    return r.error("context", "'detect.context' is 'required' but the recipe has no paths and no signals");
  }
  return {};
}

Result<std::vector<Permission>> read_permissions(const ObjectReader& top, const json::array& items, const char* where)
{
  std::vector<Permission> out;
  for (const auto& item : items) {
    if (!item.is_object()) {
      return top.error("", std::string("'") + where + "' must hold objects {group, scope}");
    }
    ObjectReader p(item.as_object(), top.text(), top.origin(), std::string(where) + "[]");
    CFM_TRY_STATUS(p.only({"group", "scope"}));
    Permission permission;
    CFM_TRY(permission.group, p.string("group", Field::required));
    CFM_TRY(std::size_t scope, p.choice("scope", {"zone", "account", "user"}, Field::required, 0));
    permission.scope = static_cast<PermissionScope>(scope);
    out.push_back(std::move(permission));
  }
  return out;
}

Result<std::vector<ExtraSetting>> read_extra_settings(const ObjectReader& top, const json::array& items, const char* where)
{
  std::vector<ExtraSetting> out;
  for (const auto& item : items) {
    if (!item.is_object()) {
      return top.error("extra_settings", std::string("'") + where + "' must hold objects {name, value}");
    }
    ObjectReader e(item.as_object(), top.text(), top.origin(), std::string(where) + "[]");
    CFM_TRY_STATUS(e.only({"name", "value"}));
    ExtraSetting extra;
    CFM_TRY(extra.name, e.string("name", Field::required));
    CFM_TRY(extra.value, e.string("value", Field::required));
    if (extra.value != "account_id" && extra.value != "zone_id" && !extra.value.starts_with("literal:")) {
      return e.error("value", "extra setting value must be account_id, zone_id or literal:<text>");
    }
    out.push_back(std::move(extra));
  }
  return out;
}

Status read_migrate(const ObjectReader& top, Recipe& recipe)
{
  CFM_TRY(const json::object* object, top.object("migrate", Field::required));
  ObjectReader r(*object, top.text(), top.origin(), "migrate");
  CFM_TRY_STATUS(r.only({"mode", "permissions", "zone_scope", "token_setting", "remove", "extra_settings",
                         "manual_steps", "reload", "min_version", "by_key_name", "zone_sources", "inference",
                         "resource_permissions"}));
  Migrate& m = recipe.migrate;
  CFM_TRY(std::size_t mode, r.choice("mode", {"in_place", "manual"}, Field::required, 0));
  m.mode = static_cast<Mode>(mode);
  CFM_TRY(std::size_t zone_scope, r.choice("zone_scope", {"used", "account"}, Field::optional, 0));
  m.zone_scope = static_cast<ZoneScope>(zone_scope);

  CFM_TRY(const json::array* permissions, r.array("permissions"));
  if (permissions == nullptr && m.mode == Mode::in_place) {
    return Error(ErrorCode::parse, "missing required field 'migrate.permissions' (mode is in_place)", top.origin());
  }
  if (permissions != nullptr) {
    CFM_TRY(m.permissions, read_permissions(r, *permissions, "migrate.permissions"));
  }

  CFM_TRY(m.token_setting, r.string("token_setting", m.mode == Mode::in_place ? Field::required : Field::optional));
  CFM_TRY(std::vector<std::string> remove, r.strings("remove", Field::optional));
  for (const auto& what : remove) {
    if (what == "key") {
      m.remove_key = true;
    } else if (what == "email") {
      m.remove_email = true;
    } else {
      return r.error("remove", "'migrate.remove' may only contain \"key\" and \"email\"");
    }
  }
  CFM_TRY(const json::array* extras, r.array("extra_settings"));
  if (extras != nullptr) {
    CFM_TRY(m.extra_settings, read_extra_settings(r, *extras, "migrate.extra_settings"));
  }
  CFM_TRY(const json::object* by_key, r.object("by_key_name", Field::optional));
  if (by_key != nullptr) {
    for (const auto& entry : *by_key) {
      if (!entry.value().is_object()) {
        return r.error("by_key_name", "'migrate.by_key_name' maps key names to objects");
      }
      ObjectReader o(entry.value().as_object(), top.text(), top.origin(), "migrate.by_key_name." + std::string(entry.key()));
      CFM_TRY_STATUS(o.only({"token_setting", "extra_settings"}));
      KeyNameOverride override_for;
      override_for.key_name = std::string(entry.key());
      CFM_TRY(override_for.token_setting, o.string("token_setting", Field::required));
      CFM_TRY(const json::array* extra, o.array("extra_settings"));
      if (extra != nullptr) {
        override_for.has_extra_settings = true;
        CFM_TRY(override_for.extra_settings, read_extra_settings(r, *extra, "migrate.by_key_name.extra_settings"));
      }
      m.by_key_name.push_back(std::move(override_for));
    }
  }
  CFM_TRY(const json::array* sources, r.array("zone_sources"));
  if (sources != nullptr) {
    for (const auto& item : *sources) {
      if (!item.is_object()) {
        return r.error("zone_sources", "'migrate.zone_sources' must hold objects {paths, contains}");
      }
      ObjectReader z(item.as_object(), top.text(), top.origin(), "migrate.zone_sources[]");
      CFM_TRY_STATUS(z.only({"paths", "contains"}));
      ZoneSource source;
      CFM_TRY(source.paths, z.strings("paths", Field::required));
      CFM_TRY(source.contains, z.string("contains", Field::optional));
      m.zone_sources.push_back(std::move(source));
    }
  }
  CFM_TRY(std::size_t inference, r.choice("inference", {"none", "api_calls", "resource_types"}, Field::optional, 0));
  m.inference = static_cast<Inference>(inference);
  CFM_TRY(const json::object* resources, r.object("resource_permissions", Field::optional));
  if (resources != nullptr) {
    for (const auto& entry : *resources) {
      if (!entry.value().is_array()) {
        return r.error("resource_permissions", "'migrate.resource_permissions' maps resource types to permission lists");
      }
      ResourcePermissions rp;
      rp.resource_type = std::string(entry.key());
      CFM_TRY(rp.permissions, read_permissions(r, entry.value().as_array(), "migrate.resource_permissions"));
      m.resource_permissions.push_back(std::move(rp));
    }
  }
  CFM_TRY(m.manual_steps, r.strings("manual_steps", Field::optional));
  CFM_TRY(m.reload, r.strings("reload", Field::optional));
  CFM_TRY(m.min_version, r.string("min_version", Field::optional));
  if (m.mode == Mode::manual && m.manual_steps.empty()) {
    return r.error("mode", "a manual recipe needs 'migrate.manual_steps'");
  }
  return {};
}

} // namespace

Result<Recipe> parse_recipe(std::string_view text, const std::string& origin, std::string_view expected_id)
{
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) {
    return make_error(ErrorCode::parse, "not valid JSON: " + ec.message(), origin);
  }
  if (!root.is_object()) {
    return make_error(ErrorCode::parse, "a recipe must be a JSON object", origin);
  }
  ObjectReader r(root.as_object(), text, origin, "");
  CFM_TRY_STATUS(r.only({"schema_version", "id", "name", "reference", "priority", "detect", "migrate"}));
  Recipe recipe;
  recipe.origin = origin;
  CFM_TRY(std::int64_t version, r.integer("schema_version", Field::required, 1));
  if (version != 1) {
    return r.error("schema_version", "unsupported schema_version (this cfmigrate reads 1)");
  }
  CFM_TRY(recipe.id, r.string("id", Field::required));
  if (!expected_id.empty() && recipe.id != expected_id) {
    return r.error("id", "recipe id must equal its directory name '" + std::string(expected_id) + "'");
  }
  CFM_TRY(recipe.name, r.string("name", Field::required));
  CFM_TRY(recipe.reference, r.string("reference", Field::required));
  CFM_TRY(std::int64_t priority, r.integer("priority", Field::optional, 50));
  if (priority < 0 || priority > 100) {
    return r.error("priority", "'priority' must be between 0 and 100");
  }
  recipe.priority = static_cast<int>(priority);
  CFM_TRY_STATUS(read_detect(r, recipe));
  CFM_TRY_STATUS(read_migrate(r, recipe));
  return recipe;
}

Result<std::vector<Recipe>> load_recipes(const std::string& override_dir)
{
  std::map<std::string, Recipe> by_id;
  for (const auto& embedded : embedded_recipes()) {
    // "migrations/<id>/recipe.json"
    std::string_view name = embedded.name;
    std::string_view id = name.substr(0, name.rfind('/'));
    id = id.substr(id.rfind('/') + 1);
    CFM_TRY(Recipe recipe, parse_recipe(embedded.content, std::string(embedded.name), id));
    by_id.insert_or_assign(recipe.id, std::move(recipe));
  }
  if (!override_dir.empty()) {
    std::error_code ec;
    std::filesystem::directory_iterator it(override_dir, ec);
    if (ec) {
      return make_error(ErrorCode::not_found, "cannot read recipe directory: " + ec.message(), override_dir);
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : it) {
      std::filesystem::path file = entry.path() / "recipe.json";
      if (entry.is_directory(ec) && std::filesystem::exists(file, ec)) {
        files.push_back(file);
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      CFM_TRY(std::string text, read_file_content(file.string()));
      CFM_TRY(Recipe recipe, parse_recipe(text, file.string(), file.parent_path().filename().string()));
      by_id.insert_or_assign(recipe.id, std::move(recipe));
    }
  }
  std::vector<Recipe> out;
  out.reserve(by_id.size());
  for (auto& [id, recipe] : by_id) {
    out.push_back(std::move(recipe));
  }
  return out;
}

} // namespace cfmigrate::recipe
