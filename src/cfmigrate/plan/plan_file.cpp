#include <cfmigrate/plan/plan_file.hpp>


#include <cfmigrate/util/atomic_file.hpp>
#include <cfmigrate/util/json_file.hpp>
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

json::array permissions_json(const std::vector<PermissionRef>& permissions)
{
  json::array a;
  for (const auto& p : permissions) {
    a.push_back(json::object{{"id", p.id}, {"name", p.name}, {"scope", p.scope}});
  }
  return a;
}

// Reading helpers: each returns a parse error naming the field.
struct Reader {
  const json::object& o;
  std::string where;

  Error missing(std::string_view key) const
  {
    return Error(ErrorCode::parse, "plan: field '" + where + std::string(key) + "' is missing or has the wrong type");
  }
  Result<std::string> str(std::string_view key) const
  {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) {
      return missing(key);
    }
    return std::string(v->as_string());
  }
  Result<std::string> str_or_empty(std::string_view key) const
  {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
      return std::string();
    }
    if (!v->is_string()) {
      return missing(key);
    }
    return std::string(v->as_string());
  }
  Result<std::int64_t> integer(std::string_view key) const
  {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !(v->is_int64() || v->is_uint64())) {
      return missing(key);
    }
    return v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(v->as_uint64());
  }
  Result<const json::array*> array(std::string_view key) const
  {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_array()) {
      return missing(key);
    }
    return &v->as_array();
  }
  Result<std::vector<std::string>> strings(std::string_view key) const
  {
    CFM_TRY(const json::array* a, array(key));
    std::vector<std::string> out;
    for (const auto& item : *a) {
      if (!item.is_string()) {
        return missing(key);
      }
      out.emplace_back(item.as_string());
    }
    return out;
  }
  Result<bool> boolean(std::string_view key) const
  {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_bool()) {
      return missing(key);
    }
    return v->as_bool();
  }
};

Result<std::vector<PermissionRef>> permissions_from(const Reader& r, std::string_view key)
{
  CFM_TRY(const json::array* a, r.array(key));
  std::vector<PermissionRef> out;
  for (const auto& item : *a) {
    if (!item.is_object()) {
      return r.missing(key);
    }
    Reader p{item.as_object(), r.where + std::string(key) + "[]."};
    PermissionRef ref;
    CFM_TRY(ref.id, p.str_or_empty("id"));
    CFM_TRY(ref.name, p.str("name"));
    CFM_TRY(ref.scope, p.str("scope"));
    out.push_back(std::move(ref));
  }
  return out;
}

template<typename T, typename F>
Result<std::vector<T>> objects(const Reader& r, std::string_view key, F&& parse)
{
  CFM_TRY(const json::array* a, r.array(key));
  std::vector<T> out;
  for (const auto& item : *a) {
    if (!item.is_object()) {
      return r.missing(key);
    }
    CFM_TRY(T value, parse(Reader{item.as_object(), r.where + std::string(key) + "[]."}));
    out.push_back(std::move(value));
  }
  return out;
}

} // namespace

json::value to_json(const Plan& plan)
{
  json::object o;
  o["format"] = plan.format;
  o["plan_id"] = plan.plan_id;
  o["tool_version"] = plan.tool_version;
  o["host"] = plan.host;
  o["root"] = plan.root;
  o["created"] = plan.created;
  o["api_base"] = plan.api_base;
  json::array credentials;
  for (const auto& c : plan.credentials) {
    credentials.push_back(json::object{{"fingerprint", c.fingerprint}, {"kind", c.kind}, {"email", c.email},
                                       {"source", c.source}, {"user_id", c.user_id}, {"account_id", c.account_id},
                                       {"account_name", c.account_name}});
  }
  o["credentials"] = std::move(credentials);
  json::array files;
  for (const auto& f : plan.files) {
    files.push_back(json::object{{"path", f.path}, {"size", f.size}, {"mtime_ns", f.mtime_ns}, {"inode", f.inode},
                                 {"mode", f.mode}, {"uid", f.uid}, {"gid", f.gid}, {"sha256", f.sha256}});
  }
  o["files"] = std::move(files);
  json::array tokens;
  for (const auto& t : plan.tokens) {
    json::array policies;
    for (const auto& p : t.policies) {
      policies.push_back(cloudflare::to_json(p));
    }
    tokens.push_back(json::object{{"key", t.key},
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
                                  {"files", strings(t.files)}});
  }
  o["tokens"] = std::move(tokens);
  json::array edits;
  for (const auto& e : plan.edits) {
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
    edits.push_back(json::object{{"path", e.path}, {"program", e.program}, {"changes", std::move(changes)}});
  }
  o["edits"] = std::move(edits);
  json::array manual;
  for (const auto& m : plan.manual) {
    manual.push_back(json::object{{"program", m.program}, {"path", m.path}, {"line", m.line}, {"why", m.why},
                                  {"steps", strings(m.steps)}, {"permissions", permissions_json(m.permissions)},
                                  {"zones", strings(m.zones)}});
  }
  o["manual"] = std::move(manual);
  json::array warnings;
  for (const auto& w : plan.warnings) {
    warnings.push_back(json::object{{"code", w.code}, {"message", w.message}});
  }
  o["warnings"] = std::move(warnings);
  o["reload"] = strings(plan.reload);
  return o;
}

Result<Plan> plan_from_json(const json::value& value)
{
  if (!value.is_object()) {
    return make_error(ErrorCode::parse, "plan: not a JSON object");
  }
  Reader r{value.as_object(), ""};
  Plan plan;
  CFM_TRY(plan.format, r.str("format"));
  if (plan.format != k_plan_format) {
    return make_error(ErrorCode::unsupported, "plan: format '" + plan.format + "' is not " + k_plan_format);
  }
  CFM_TRY(plan.plan_id, r.str("plan_id"));
  CFM_TRY(plan.tool_version, r.str("tool_version"));
  CFM_TRY(plan.host, r.str("host"));
  CFM_TRY(plan.root, r.str("root"));
  CFM_TRY(plan.created, r.str("created"));
  CFM_TRY(plan.api_base, r.str("api_base"));
  CFM_TRY(plan.credentials, objects<CreatorCredential>(r, "credentials", [](const Reader& c) -> Result<CreatorCredential> {
    CreatorCredential out;
    CFM_TRY(out.fingerprint, c.str("fingerprint"));
    CFM_TRY(out.kind, c.str("kind"));
    CFM_TRY(out.email, c.str_or_empty("email"));
    CFM_TRY(out.source, c.str("source"));
    CFM_TRY(out.user_id, c.str_or_empty("user_id"));
    CFM_TRY(out.account_id, c.str_or_empty("account_id"));
    CFM_TRY(out.account_name, c.str_or_empty("account_name"));
    return out;
  }));
  CFM_TRY(plan.files, objects<FileState>(r, "files", [](const Reader& f) -> Result<FileState> {
    FileState out;
    CFM_TRY(out.path, f.str("path"));
    CFM_TRY(std::int64_t size, f.integer("size"));
    CFM_TRY(out.mtime_ns, f.integer("mtime_ns"));
    CFM_TRY(std::int64_t inode, f.integer("inode"));
    CFM_TRY(std::int64_t mode, f.integer("mode"));
    CFM_TRY(std::int64_t uid, f.integer("uid"));
    CFM_TRY(std::int64_t gid, f.integer("gid"));
    out.size = static_cast<std::uint64_t>(size);
    out.inode = static_cast<std::uint64_t>(inode);
    out.mode = static_cast<std::uint32_t>(mode);
    out.uid = static_cast<std::uint32_t>(uid);
    out.gid = static_cast<std::uint32_t>(gid);
    CFM_TRY(out.sha256, f.str("sha256"));
    return out;
  }));
  CFM_TRY(plan.tokens, objects<PlannedToken>(r, "tokens", [](const Reader& t) -> Result<PlannedToken> {
    PlannedToken out;
    CFM_TRY(out.key, t.str("key"));
    CFM_TRY(out.name, t.str("name"));
    CFM_TRY(out.program, t.str("program"));
    CFM_TRY(out.credential, t.str("credential"));
    CFM_TRY(out.permissions, permissions_from(t, "permissions"));
    CFM_TRY(out.zones, t.strings("zones"));
    CFM_TRY(out.zone_ids, t.strings("zone_ids"));
    CFM_TRY(out.account_wide, t.boolean("account_wide"));
    CFM_TRY(out.scope_reason, t.str_or_empty("scope_reason"));
    CFM_TRY(const json::array* policies, t.array("policies"));
    for (const auto& p : *policies) {
      CFM_TRY(cloudflare::Policy policy, cloudflare::policy_from_json(p));
      out.policies.push_back(std::move(policy));
    }
    CFM_TRY(out.allow_ips, t.strings("allow_ips"));
    CFM_TRY(std::string expires, t.str_or_empty("expires_on"));
    if (!expires.empty()) {
      out.expires_on = expires;
    }
    CFM_TRY(out.files, t.strings("files"));
    return out;
  }));
  CFM_TRY(plan.edits, objects<FileEdit>(r, "edits", [](const Reader& e) -> Result<FileEdit> {
    FileEdit out;
    CFM_TRY(out.path, e.str("path"));
    CFM_TRY(out.program, e.str("program"));
    CFM_TRY(out.changes, objects<Change>(e, "changes", [](const Reader& c) -> Result<Change> {
      Change change;
      CFM_TRY(std::int64_t offset, c.integer("offset"));
      CFM_TRY(std::int64_t length, c.integer("length"));
      if (offset < 0 || length < 0) {
        return make_error(ErrorCode::parse, "plan: negative change offset or length");
      }
      change.offset = static_cast<std::size_t>(offset);
      change.length = static_cast<std::size_t>(length);
      CFM_TRY(change.reason, c.str_or_empty("reason"));
      CFM_TRY(change.replacement, objects<ReplacementPart>(c, "replacement", [](const Reader& p) -> Result<ReplacementPart> {
        ReplacementPart part;
        CFM_TRY(part.token_key, p.str_or_empty("token"));
        if (part.token_key.empty()) {
          CFM_TRY(part.text, p.str("text"));
        } else {
          CFM_TRY(std::string encoding, p.str_or_empty("encoding"));
          part.base64 = encoding == "base64";
        }
        return part;
      }));
      return change;
    }));
    return out;
  }));
  CFM_TRY(plan.manual, objects<ManualItem>(r, "manual", [](const Reader& m) -> Result<ManualItem> {
    ManualItem out;
    CFM_TRY(out.program, m.str("program"));
    CFM_TRY(out.path, m.str_or_empty("path"));
    CFM_TRY(std::int64_t line, m.integer("line"));
    out.line = static_cast<std::uint32_t>(line);
    CFM_TRY(out.why, m.str("why"));
    CFM_TRY(out.steps, m.strings("steps"));
    CFM_TRY(out.permissions, permissions_from(m, "permissions"));
    CFM_TRY(out.zones, m.strings("zones"));
    return out;
  }));
  CFM_TRY(plan.warnings, objects<Warning>(r, "warnings", [](const Reader& w) -> Result<Warning> {
    Warning out;
    CFM_TRY(out.code, w.str("code"));
    CFM_TRY(out.message, w.str("message"));
    return out;
  }));
  CFM_TRY(plan.reload, r.strings("reload"));
  return plan;
}

Status write_plan_file(const Plan& plan, const std::string& path)
{
  std::ostringstream text;
  write_json(text, to_json(plan));
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
