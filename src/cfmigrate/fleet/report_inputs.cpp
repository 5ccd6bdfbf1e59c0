#include <cfmigrate/fleet/report_inputs.hpp>

#include <boost/json.hpp>

namespace cfmigrate::fleet {

namespace json = boost::json;

// The records of the input documents, read by read_json_as (found by ADL, hence not in an
// anonymous namespace).

struct ScanFinding {
  std::string credential;
  KeyUsage usage;
};

Result<ScanFinding> tag_invoke(json::try_value_to_tag<ScanFinding>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  ScanFinding out;
  CFM_TRY(out.credential, f.optional<std::string>("credential"));
  CFM_TRY(out.usage.fingerprint, f.optional<std::string>("fingerprint", "sha256:unknown"));
  CFM_TRY(out.usage.email, f.optional<std::string>("email"));
  CFM_TRY(out.usage.program, f.optional<std::string>("program"));
  CFM_TRY(out.usage.path, f.optional<std::string>("path"));
  CFM_TRY(out.usage.line, f.optional<std::int64_t>("line"));
  CFM_TRY(const std::string state, f.optional<std::string>("state"));
  out.usage.commented = state == "commented";
  if (out.usage.fingerprint.empty()) {
    out.usage.fingerprint = "sha256:unknown";
  }
  return out;
}

struct PlanToken {
  std::string name;
  std::string credential;
};

Result<PlanToken> tag_invoke(json::try_value_to_tag<PlanToken>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  PlanToken out;
  CFM_TRY(out.name, f.optional<std::string>("name"));
  CFM_TRY(out.credential, f.optional<std::string>("credential"));
  return out;
}

// A plan's credential, a journal's token, file or failure: only string fields are read.
struct Fields {
  std::string a;
  std::string b;
  std::string c;
};

namespace {

Result<Fields> string_fields(const json::value& v, const JsonPath& at, std::initializer_list<std::string_view> keys)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  Fields out;
  std::string* slots[] = {&out.a, &out.b, &out.c};
  std::size_t i = 0;
  for (std::string_view key : keys) {
    CFM_TRY(*slots[i++], f.optional<std::string>(key));
  }
  return out;
}

// The objects of array `key` (absent: none), each as the strings `keys`.
Result<std::vector<Fields>> string_records(const JsonFields& f, std::string_view key, std::initializer_list<std::string_view> keys)
{
  CFM_TRY(const std::vector<json::value> items, f.optional<std::vector<json::value>>(key));
  std::vector<Fields> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    CFM_TRY(Fields record, string_fields(items[i], f.at().key(key).index(i), keys));
    out.push_back(std::move(record));
  }
  return out;
}

void count_token(const Fields& token, MigrationView& v)
{
  const std::string& id = token.a;
  const std::string& state = token.b;
  v.token_names.push_back(token.c);
  if (id.empty()) {
    v.tokens_unknown += state == "create_intent" ? 1U : 0U;
    return;
  }
  ++v.tokens_created;
  if (state != "deleted") {
    ++v.tokens_live;
    v.token_ids.push_back(id);
  }
}

void count_file(const std::string& state, MigrationView& v)
{
  if (state == "written" || state == "verified") {
    ++v.files_changed;
  } else if (state == "restored") {
    ++v.files_restored;
  } else if (state == "conflict") {
    ++v.files_conflict;
  } else if (state == "write_intent") {
    ++v.files_unknown;
  }
}

} // namespace

Result<StatusMigration> tag_invoke(json::try_value_to_tag<StatusMigration>, const json::value& v, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(v, at));
  StatusMigration out;
  MigrationView& view = out.view;
  CFM_TRY(out.host, f.optional<std::string>("host"));
  CFM_TRY(view.plan_id, f.optional<std::string>("plan_id"));
  CFM_TRY(view.created, f.optional<std::string>("created"));
  CFM_TRY(view.state, f.optional<std::string>("state", "in_progress"));
  if (view.state.empty()) {
    view.state = "in_progress";
  }
  CFM_TRY(const std::vector<Fields> tokens, string_records(f, "tokens", {"id", "state", "name"}));
  for (const Fields& t : tokens) {
    count_token(t, view);
  }
  CFM_TRY(const std::vector<Fields> files, string_records(f, "files", {"state"}));
  for (const Fields& file : files) {
    count_file(file.a, view);
  }
  CFM_TRY(const std::vector<Fields> failures, string_records(f, "failures", {"step", "message"}));
  for (const Fields& failure : failures) {
    view.failures.emplace_back(failure.a, failure.b);
  }
  CFM_TRY(const std::int64_t rollbacks, f.optional<std::int64_t>("rollbacks"));
  view.rollbacks = rollbacks > 0 ? static_cast<std::size_t>(rollbacks) : 0;
  return out;
}

Result<std::string> document_host(const json::value& doc, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(doc, at));
  return f.optional<std::string>("host");
}

Status read_scan(const json::value& doc, const JsonPath& at, HostView& host)
{
  CFM_TRY(const JsonFields f, JsonFields::of(doc, at));
  CFM_TRY(const std::vector<ScanFinding> findings, f.optional<std::vector<ScanFinding>>("findings"));
  host.usages.clear();
  host.references.clear();
  host.scoped_tokens = 0;
  for (const ScanFinding& finding : findings) {
    if (finding.credential == "global_key") {
      host.usages.push_back(finding.usage);
    } else if (finding.credential == "reference") {
      host.references.push_back(Reference{finding.usage.program, finding.usage.path, finding.usage.line});
    } else if (finding.credential == "scoped_token") {
      ++host.scoped_tokens;
    }
  }
  return {};
}

Status read_plan(const json::value& doc, const JsonPath& at, HostView& host)
{
  CFM_TRY(const JsonFields f, JsonFields::of(doc, at));
  CFM_TRY(host.plan_id, f.optional<std::string>("plan_id"));
  CFM_TRY(const std::vector<PlanToken> tokens, f.optional<std::vector<PlanToken>>("tokens"));
  CFM_TRY(const std::vector<json::value> edits, f.optional<std::vector<json::value>>("edits"));
  CFM_TRY(const std::vector<json::value> manual, f.optional<std::vector<json::value>>("manual"));
  CFM_TRY(const std::vector<Fields> credentials, string_records(f, "credentials", {"kind", "fingerprint"}));
  host.planned_tokens = tokens.size();
  host.planned_files = edits.size();
  host.manual_items = manual.size();
  host.plan_key_fingerprints.clear();
  host.planned_token_names.clear();
  // A plan that edits files away from a Global key names the keys it replaces.
  for (const Fields& c : credentials) {
    if (c.a == "global_key") {
      host.plan_key_fingerprints.insert(c.b);
    }
  }
  for (const PlanToken& t : tokens) {
    host.planned_token_names.push_back(t.name);
  }
  return {};
}

Result<std::vector<StatusMigration>> read_status_migrations(const json::value& doc, const JsonPath& at)
{
  CFM_TRY(const JsonFields f, JsonFields::of(doc, at));
  return f.optional<std::vector<StatusMigration>>("migrations");
}

} // namespace cfmigrate::fleet
