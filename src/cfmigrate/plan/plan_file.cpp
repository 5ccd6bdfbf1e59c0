#include <cfmigrate/plan/plan_file.hpp>


#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/display_text.hpp>
#include <cfmigrate/util/json_file.hpp>
#include <cfmigrate/util/json_path_field.hpp>
#include <cfmigrate/util/json_read.hpp>
#include <cfmigrate/util/json_writer.hpp>

#include <boost/json.hpp>

#include <sstream>

namespace cfmigrate::plan {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& v)
{
  json::array a;
  for (const auto& s : v) {
    a.emplace_back(s);
  }
  return a;
}

// Paths a token is used by are for people only ("used by:"), so their display form suffices.
json::array display_strings(const std::vector<std::string>& v)
{
  json::array a;
  for (const auto& s : v) {
    a.emplace_back(utf8_display(s));
  }
  return a;
}

json::array permissions_json(const std::vector<PermissionRef>& permissions)
{
  json::array a;
  for (const auto& p : permissions) {
    a.push_back(json::object{{"id", p.id}, {"name", p.name}, {"scope", p.scope}});
  }
  return a;
}

// "source" is "<path>:<line>" for a key found on disk, so it keeps its bytes like a path.
json::object credential_json(const CreatorCredential& c)
{
  json::object o;
  o["fingerprint"] = c.fingerprint;
  o["kind"] = c.kind;
  o["email"] = c.email;
  put_json_path(o, "source", c.source);
  o["user_id"] = c.user_id;
  o["account_id"] = c.account_id;
  o["account_name"] = c.account_name;
  return o;
}

json::object file_json(const FileState& f)
{
  json::object o;
  put_json_path(o, "path", f.path);
  o["size"] = f.size;
  o["mtime_ns"] = f.mtime_ns;
  o["inode"] = f.inode;
  o["mode"] = f.mode;
  o["uid"] = f.uid;
  o["gid"] = f.gid;
  o["sha256"] = f.sha256;
  return o;
}

json::object token_json(const PlannedToken& t)
{
  json::array policies;
  for (const auto& p : t.policies) {
    policies.push_back(cloudflare::to_json(p));
  }
  return json::object{{"key", t.key},
                      {"name", t.name},
                      {"program", t.program},
                      {"credential", t.credential},
                      {"permissions", permissions_json(t.permissions)},
                      {"zones", strings(t.zones)},
                      {"zone_ids", strings(t.zone_ids)},
                      {"account_wide", t.account_wide},
                      {"scope_reason", t.scope_reason},
                      {"policies", std::move(policies)},
                      {"allow_ips", strings(t.allow_ips)},
                      {"expires_on", t.expires_on ? json::value(*t.expires_on) : json::value(nullptr)},
                      {"files", display_strings(t.files)}};
}

json::object edit_json(const FileEdit& e)
{
  json::array changes;
  for (const auto& c : e.changes) {
    json::array parts;
    for (const auto& p : c.replacement) {
      if (p.token_key.empty()) {
        parts.push_back(json::object{{"text", p.text}});
      } else {
        parts.push_back(json::object{{"token", p.token_key}, {"encoding", p.base64 ? "base64" : "plain"}});
      }
    }
    changes.push_back(json::object{{"offset", c.offset}, {"length", c.length}, {"replacement", std::move(parts)},
                                   {"reason", c.reason}});
  }
  json::object o;
  put_json_path(o, "path", e.path);
  o["program"] = e.program;
  o["changes"] = std::move(changes);
  return o;
}

json::object manual_json(const ManualItem& m)
{
  json::object o;
  o["program"] = m.program;
  put_json_path(o, "path", m.path);
  o["line"] = m.line;
  o["why"] = m.why;
  o["steps"] = strings(m.steps);
  o["permissions"] = permissions_json(m.permissions);
  o["zones"] = strings(m.zones);
  return o;
}

// Messages, reasons and warnings may quote a path; a JSON string must be UTF-8, so any string
// that is not is replaced by its display form (paths themselves keep their bytes in "path_bytes").
void make_strings_utf8(json::value& v)
{
  if (json::string* s = v.if_string(); s != nullptr && !is_valid_utf8(*s)) {
    *s = utf8_display(*s);
  } else if (json::array* a = v.if_array(); a != nullptr) {
    for (json::value& item : *a) {
      make_strings_utf8(item);
    }
  } else if (json::object* o = v.if_object(); o != nullptr) {
    for (auto& entry : *o) {
      make_strings_utf8(entry.value());
    }
  }
}

template<typename T, typename F>
json::array each(const std::vector<T>& items, F&& to_json_item)
{
  json::array a;
  for (const auto& item : items) {
    a.push_back(to_json_item(item));
  }
  return a;
}

} // namespace

json::value to_json(const Plan& plan)
{
  json::object o;
  o["format"] = plan.format;
  o["plan_id"] = plan.plan_id;
  o["tool_version"] = plan.tool_version;
  o["host"] = plan.host;
  put_json_path(o, "root", plan.root);
  o["created"] = plan.created;
  o["api_base"] = plan.api_base;
  o["credentials"] = each(plan.credentials, credential_json);
  o["files"] = each(plan.files, file_json);
  o["tokens"] = each(plan.tokens, token_json);
  o["edits"] = each(plan.edits, edit_json);
  o["manual"] = each(plan.manual, manual_json);
  o["warnings"] = each(plan.warnings, [](const Warning& w) { return json::object{{"code", w.code}, {"message", w.message}}; });
  o["reload"] = strings(plan.reload);
  json::value out(std::move(o));
  make_strings_utf8(out);
  return out;
}

// The plan's records, each read through util/json_read so an error names its field
// ("plan: edits[0].changes[2].offset: expected an integer from 0 to ..."). Found by ADL from
// read_json_as, so they live in this namespace, not in an anonymous one.

Result<PermissionRef> tag_invoke(json::try_value_to_tag<PermissionRef>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  PermissionRef out;
  CFM_TRY(out.id, f.optional<std::string>("id"));
  CFM_TRY(out.name, f.required<std::string>("name"));
  CFM_TRY(out.scope, f.required<std::string>("scope"));
  return out;
}

Result<CreatorCredential> tag_invoke(json::try_value_to_tag<CreatorCredential>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  CreatorCredential out;
  CFM_TRY(out.fingerprint, f.required<std::string>("fingerprint"));
  CFM_TRY(out.kind, f.required<std::string>("kind"));
  CFM_TRY(out.email, f.optional<std::string>("email"));
  CFM_TRY(out.source, read_json_path(f, "source"));
  CFM_TRY(out.user_id, f.optional<std::string>("user_id"));
  CFM_TRY(out.account_id, f.optional<std::string>("account_id"));
  CFM_TRY(out.account_name, f.optional<std::string>("account_name"));
  return out;
}

Result<FileState> tag_invoke(json::try_value_to_tag<FileState>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  FileState out;
  CFM_TRY(out.path, read_json_path(f, "path"));
  CFM_TRY(out.size, f.required<std::uint64_t>("size"));
  CFM_TRY(out.mtime_ns, f.required<std::int64_t>("mtime_ns"));
  CFM_TRY(out.inode, f.required<std::uint64_t>("inode"));
  CFM_TRY(out.mode, f.required<std::uint32_t>("mode"));
  CFM_TRY(out.uid, f.required<std::uint32_t>("uid"));
  CFM_TRY(out.gid, f.required<std::uint32_t>("gid"));
  CFM_TRY(out.sha256, f.required<std::string>("sha256"));
  return out;
}

Result<PlannedToken> tag_invoke(json::try_value_to_tag<PlannedToken>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  PlannedToken out;
  CFM_TRY(out.key, f.required<std::string>("key"));
  CFM_TRY(out.name, f.required<std::string>("name"));
  CFM_TRY(out.program, f.required<std::string>("program"));
  CFM_TRY(out.credential, f.required<std::string>("credential"));
  CFM_TRY(out.permissions, f.required<std::vector<PermissionRef>>("permissions"));
  CFM_TRY(out.zones, f.required<std::vector<std::string>>("zones"));
  CFM_TRY(out.zone_ids, f.required<std::vector<std::string>>("zone_ids"));
  CFM_TRY(out.account_wide, f.required<bool>("account_wide"));
  CFM_TRY(out.scope_reason, f.optional<std::string>("scope_reason"));
  CFM_TRY(out.policies, f.required<std::vector<cloudflare::Policy>>("policies"));
  CFM_TRY(out.allow_ips, f.required<std::vector<std::string>>("allow_ips"));
  CFM_TRY(std::string expires, f.optional<std::string>("expires_on"));
  if (!expires.empty()) {
    out.expires_on = std::move(expires);
  }
  CFM_TRY(out.files, f.required<std::vector<std::string>>("files"));
  return out;
}

Result<ReplacementPart> tag_invoke(json::try_value_to_tag<ReplacementPart>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  ReplacementPart part;
  CFM_TRY(part.token_key, f.optional<std::string>("token"));
  if (part.token_key.empty()) {
    CFM_TRY(part.text, f.required<std::string>("text"));
  } else {
    CFM_TRY(const std::string encoding, f.optional<std::string>("encoding"));
    part.base64 = encoding == "base64";
  }
  return part;
}

Result<Change> tag_invoke(json::try_value_to_tag<Change>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Change change;
  CFM_TRY(change.offset, f.required<std::size_t>("offset"));
  CFM_TRY(change.length, f.required<std::size_t>("length"));
  CFM_TRY(change.reason, f.optional<std::string>("reason"));
  CFM_TRY(change.replacement, f.required<std::vector<ReplacementPart>>("replacement"));
  return change;
}

Result<FileEdit> tag_invoke(json::try_value_to_tag<FileEdit>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  FileEdit out;
  CFM_TRY(out.path, read_json_path(f, "path"));
  CFM_TRY(out.program, f.required<std::string>("program"));
  CFM_TRY(out.changes, f.required<std::vector<Change>>("changes"));
  return out;
}

Result<ManualItem> tag_invoke(json::try_value_to_tag<ManualItem>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  ManualItem out;
  CFM_TRY(out.program, f.required<std::string>("program"));
  CFM_TRY(out.path, read_json_path(f, "path", PathPresence::optional));
  CFM_TRY(out.line, f.required<std::uint32_t>("line"));
  CFM_TRY(out.why, f.required<std::string>("why"));
  CFM_TRY(out.steps, f.required<std::vector<std::string>>("steps"));
  CFM_TRY(out.permissions, f.required<std::vector<PermissionRef>>("permissions"));
  CFM_TRY(out.zones, f.required<std::vector<std::string>>("zones"));
  return out;
}

Result<Warning> tag_invoke(json::try_value_to_tag<Warning>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Warning out;
  CFM_TRY(out.code, f.required<std::string>("code"));
  CFM_TRY(out.message, f.required<std::string>("message"));
  return out;
}

Result<Plan> tag_invoke(json::try_value_to_tag<Plan>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Plan plan;
  CFM_TRY(plan.format, f.required<std::string>("format"));
  if (plan.format != k_plan_format) {
    return make_error(ErrorCode::unsupported, "plan: format '" + utf8_display(plan.format) + "' is not " + k_plan_format);
  }
  CFM_TRY(plan.plan_id, f.required<std::string>("plan_id"));
  CFM_TRY(plan.tool_version, f.required<std::string>("tool_version"));
  CFM_TRY(plan.host, f.required<std::string>("host"));
  CFM_TRY(plan.root, read_json_path(f, "root"));
  CFM_TRY(plan.created, f.required<std::string>("created"));
  CFM_TRY(plan.api_base, f.required<std::string>("api_base"));
  CFM_TRY(plan.credentials, f.required<std::vector<CreatorCredential>>("credentials"));
  CFM_TRY(plan.files, f.required<std::vector<FileState>>("files"));
  CFM_TRY(plan.tokens, f.required<std::vector<PlannedToken>>("tokens"));
  CFM_TRY(plan.edits, f.required<std::vector<FileEdit>>("edits"));
  CFM_TRY(plan.manual, f.required<std::vector<ManualItem>>("manual"));
  CFM_TRY(plan.warnings, f.required<std::vector<Warning>>("warnings"));
  CFM_TRY(plan.reload, f.required<std::vector<std::string>>("reload"));
  return plan;
}

Result<Plan> plan_from_json(const json::value& value)
{
  return read_json_as<Plan>(value, JsonPath("plan"));
}

Status write_plan_file(const Plan& plan, const std::string& path)
{
  return write_plan_document(to_json(plan), path);
}

Status write_plan_document(const json::value& document, const std::string& path)
{
  std::ostringstream text;
  write_json(text, document);
  AtomicWriteOptions options;
  options.missing = MissingTarget::create;  // new plan files are 0600, owned by the caller
  return replace_file_atomically(path, text.str(), options);
}

Result<Plan> read_plan_file(const std::string& path)
{
  CFM_TRY(const json::value value, read_json_file(path));
  auto plan = plan_from_json(value);
  if (!plan) {
    Error e = plan.error();
    return Error(e.code(), e.message(), path);
  }
  return plan;
}

} // namespace cfmigrate::plan
