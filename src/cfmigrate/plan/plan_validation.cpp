#include <cfmigrate/plan/plan_validation.hpp>

#include <cfmigrate/util/anchored_path.hpp>

#include <algorithm>
#include <set>

namespace cfmigrate::plan {

namespace {

constexpr std::string_view k_zone_prefix = "com.cloudflare.api.account.zone.";
constexpr std::string_view k_account_prefix = "com.cloudflare.api.account.";
constexpr std::string_view k_user_prefix = "com.cloudflare.api.user.";

Error invalid(const std::string& field, const std::string& why)
{
  return make_error(ErrorCode::parse, "plan: " + field + ": " + why);
}

bool has_control_character(std::string_view s)
{
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Status check_file_path(const std::string& field, const std::string& path)
{
  if (path.empty() || path.front() != '/') {
    return invalid(field, "not an absolute path");
  }
  auto normal = normalize_beneath(path);
  if (!normal) {
    return invalid(field, normal.error().message());
  }
  if ("/" + *normal != path) {
    return invalid(field, "not in normal form (no '.', '..', empty components or trailing '/')");
  }
  return {};
}

Status check_files(const Plan& plan)
{
  std::set<std::string> seen;
  for (std::size_t i = 0; i < plan.files.size(); ++i) {
    const FileState& f = plan.files[i];
    const std::string field = "files[" + std::to_string(i) + "]";
    CFM_TRY_STATUS(check_file_path(field + ".path", f.path));
    if (!seen.insert(f.path).second) {
      return invalid(field + ".path", "listed twice");
    }
    if (f.size > k_max_mutable_file_bytes) {
      return invalid(field + ".size", "larger than any file cfmigrate rewrites");
    }
    if (f.sha256.size() != 64 || f.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return invalid(field + ".sha256", "not a SHA-256 in lower-case hex");
    }
  }
  return {};
}

Status check_changes(const std::string& field, const FileEdit& edit, const FileState& state,
                     const std::set<std::string>& token_keys)
{
  std::size_t end_of_previous = 0;
  for (std::size_t i = 0; i < edit.changes.size(); ++i) {
    const Change& c = edit.changes[i];
    const std::string where = field + ".changes[" + std::to_string(i) + "]";
    if (c.offset > state.size || c.length > state.size - c.offset) {
      return invalid(where, "outside the file's recorded size");
    }
    if (i > 0 && c.offset < end_of_previous) {
      return invalid(where, "overlaps the change before it or is out of order");
    }
    end_of_previous = c.offset + c.length;
    for (const ReplacementPart& part : c.replacement) {
      if (!part.token_key.empty() && token_keys.count(part.token_key) == 0) {
        return invalid(where, "refers to token '" + part.token_key + "', which the plan does not define");
      }
    }
  }
  return {};
}

Status check_edits(const Plan& plan, const std::set<std::string>& token_keys)
{
  std::set<std::string> seen;
  for (std::size_t i = 0; i < plan.edits.size(); ++i) {
    const FileEdit& e = plan.edits[i];
    const std::string field = "edits[" + std::to_string(i) + "]";
    CFM_TRY_STATUS(check_file_path(field + ".path", e.path));
    const FileState* state = plan.file(e.path);
    if (state == nullptr) {
      return invalid(field + ".path", "not listed in files[]");
    }
    if (!seen.insert(e.path).second) {
      return invalid(field + ".path", "edited twice");
    }
    CFM_TRY_STATUS(check_changes(field, e, *state, token_keys));
  }
  return {};
}

// A zone-scoped policy: each resource is one of the token's zones, or every zone of the creator's
// account when the plan says the token is account-wide.
Status check_zone_resources(const std::string& field, const PlannedToken& t, const cloudflare::Policy& p,
                            const CreatorCredential& creator)
{
  for (const auto& [key, value] : p.resources) {
    if (key.starts_with(k_zone_prefix)) {
      const std::string id = key.substr(k_zone_prefix.size());
      if (!std::holds_alternative<std::string>(value) || std::get<std::string>(value) != "*"
          || std::find(t.zone_ids.begin(), t.zone_ids.end(), id) == t.zone_ids.end()) {
        return invalid(field, "grants zone " + id + ", which is not among the token's zones");
      }
      continue;
    }
    const auto* nested = std::get_if<cloudflare::NestedResources>(&value);
    const bool all_zones_of_account = nested != nullptr && nested->size() == 1
                                      && nested->count("com.cloudflare.api.account.zone.*") == 1;
    if (!t.account_wide || !all_zones_of_account || key != std::string(k_account_prefix) + creator.account_id) {
      return invalid(field, "grants '" + key + "', wider than the token's recorded zone scope");
    }
  }
  return {};
}

Status check_policy(const std::string& field, const PlannedToken& t, const cloudflare::Policy& p,
                    const CreatorCredential& creator)
{
  if (p.permission_group_ids.empty() || p.resources.empty()) {
    return invalid(field, "grants nothing or on nothing");
  }
  std::set<std::string> scopes;
  for (const auto& id : p.permission_group_ids) {
    auto ref = std::find_if(t.permissions.begin(), t.permissions.end(), [&](const PermissionRef& r) { return r.id == id; });
    if (ref == t.permissions.end()) {
      return invalid(field, "grants permission group " + id + ", which the token's permissions do not list");
    }
    scopes.insert(ref->scope);
  }
  if (scopes.size() != 1) {
    return invalid(field, "mixes permission scopes in one policy");
  }
  const std::string scope = *scopes.begin();
  if (scope == "zone") {
    return check_zone_resources(field, t, p, creator);
  }
  const std::string expected = scope == "account" ? std::string(k_account_prefix) + creator.account_id
                                                  : std::string(k_user_prefix) + creator.user_id;
  for (const auto& [key, value] : p.resources) {
    if (key != expected || !std::holds_alternative<std::string>(value) || std::get<std::string>(value) != "*") {
      return invalid(field, "grants '" + key + "', not the creator's own " + scope);
    }
  }
  return {};
}

Status check_tokens(const Plan& plan, std::set<std::string>& token_keys)
{
  std::set<std::string> names;
  for (std::size_t i = 0; i < plan.tokens.size(); ++i) {
    const PlannedToken& t = plan.tokens[i];
    const std::string field = "tokens[" + std::to_string(i) + "]";
    if (t.key.empty() || !token_keys.insert(t.key).second) {
      return invalid(field + ".key", "empty or defined twice");
    }
    if (t.name.empty() || t.name.size() > 120 || has_control_character(t.name) || !names.insert(t.name).second) {
      return invalid(field + ".name", "empty, too long, with control characters or used twice");
    }
    auto creator = std::find_if(plan.credentials.begin(), plan.credentials.end(),
                                [&](const CreatorCredential& c) { return c.fingerprint == t.credential; });
    if (creator == plan.credentials.end()) {
      return invalid(field + ".credential", "not one of the plan's credentials");
    }
    if (t.policies.empty()) {
      return invalid(field + ".policies", "the token grants nothing");
    }
    for (std::size_t j = 0; j < t.policies.size(); ++j) {
      CFM_TRY_STATUS(check_policy(field + ".policies[" + std::to_string(j) + "]", t, t.policies[j], *creator));
    }
  }
  return {};
}

Status check_header(const Plan& plan)
{
  if (!is_valid_plan_id(plan.plan_id)) {
    return invalid("plan_id", "must be 1-128 letters, digits, '-', '_' or '.', not starting with '.'");
  }
  if (plan.host.empty() || has_control_character(plan.host)) {
    return invalid("host", "empty or with control characters");
  }
  if (!plan.root.empty() && plan.root.front() != '/') {
    return invalid("root", "not an absolute path");
  }
  std::set<std::string> fingerprints;
  for (std::size_t i = 0; i < plan.credentials.size(); ++i) {
    const CreatorCredential& c = plan.credentials[i];
    if (c.fingerprint.empty() || !fingerprints.insert(c.fingerprint).second) {
      return invalid("credentials[" + std::to_string(i) + "].fingerprint", "empty or listed twice");
    }
  }
  return {};
}

} // namespace

bool is_valid_plan_id(std::string_view id)
{
  if (id.empty() || id.size() > 128 || id.front() == '.') {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

Status validate_plan(const Plan& plan)
{
  CFM_TRY_STATUS(check_header(plan));
  CFM_TRY_STATUS(check_files(plan));
  std::set<std::string> token_keys;
  CFM_TRY_STATUS(check_tokens(plan, token_keys));
  return check_edits(plan, token_keys);
}

} // namespace cfmigrate::plan
